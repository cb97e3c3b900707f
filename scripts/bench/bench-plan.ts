import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { repoRoot } from '../lib/paths';

/** Everything a run measures and how hard it pushes; printed and stored with the results. */
export interface BenchPlan {
  mode: 'quick' | 'full';
  simulatorLatencyMs: number;
  /** How long each (scenario, concurrency) step may last. */
  stepSeconds: number;
  /** Connection counts for the direct, new-key and replay scenarios. */
  concurrencies: readonly number[];
  /** Duplicates per storm: all of them are sent at once on their own connections. */
  stormSizes: readonly number[];
  stormsPerSize: number;
  /**
   * The request rates each step is sized for: a step gets stepSeconds × ceiling pre-created orders
   * (or replay requests) and stops early if it uses them all, rather than reuse an order. The
   * direct ceiling is deliberately below what the simulator serves: creating an order takes two
   * simulator calls, more than processing it, so the floor is measured over a fixed count of orders
   * and ends early.
   */
  rateCeilings: { direct: number; newKeys: number; replays: number };
  /** Finished payments the replay scenario cycles through. */
  finishedPayments: number;
  /** An unrecorded burst of new payments first, so no measured step pays for JIT and cache warm-up. */
  warmUpSeconds: number;
  requestTimeoutSeconds: number;
  /** The orchestrator's settings for the run (the API's environment). */
  apiEnvironment: Readonly<Record<string, string>>;
  outputDirectory: string;
  verbose: boolean;
}

const USAGE = 'usage: run-bench [--quick] [--latency-ms N] [--output-dir DIR] [--verbose]';

/** Reads the command line and BENCH_* variables (flags win). */
export function readBenchPlan(argv: readonly string[], env: NodeJS.ProcessEnv): BenchPlan {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      quick: { type: 'boolean', default: false },
      'latency-ms': { type: 'string' },
      'output-dir': { type: 'string' },
      verbose: { type: 'boolean', default: false },
    },
    strict: true,
  });
  const quick = values.quick || env.BENCH_QUICK === '1';
  const latencyText = values['latency-ms'] ?? env.BENCH_SIMULATOR_LATENCY_MS ?? '0';
  const simulatorLatencyMs = Number(latencyText);
  if (!Number.isInteger(simulatorLatencyMs) || simulatorLatencyMs < 0 || simulatorLatencyMs > 60_000) {
    throw new Error(`the simulator latency must be an integer from 0 to 60000 ms, not "${latencyText}"\n${USAGE}`);
  }
  const common = {
    simulatorLatencyMs,
    // Beyond WAIT_FOR_RESULT_MS, so a slow payment shows up as the API's 423, not as a client timeout.
    requestTimeoutSeconds: 30,
    apiEnvironment: {
      WAIT_FOR_RESULT_MS: '10000',
      UPSTREAM_TIMEOUT_MS: '10000',
      UPSTREAM_RETRY_INITIAL_MS: '500',
      UPSTREAM_RETRY_MAX_INTERVAL_MS: '30000',
      UPSTREAM_RETRY_BUDGET_MS: '600000',
      TEMPORAL_RPC_TIMEOUT_MS: '5000',
    },
    outputDirectory: values['output-dir'] ?? env.BENCH_OUTPUT_DIR ?? join(repoRoot, 'artifacts/bench'),
    verbose: values.verbose || env.BENCH_VERBOSE === '1',
  };
  if (quick) {
    return {
      ...common,
      mode: 'quick',
      stepSeconds: 1,
      concurrencies: [1, 8],
      stormSizes: [8],
      stormsPerSize: 2,
      rateCeilings: { direct: 400, newKeys: 150, replays: 400 },
      finishedPayments: 10,
      warmUpSeconds: 1,
    };
  }
  return {
    ...common,
    mode: 'full',
    stepSeconds: 10,
    concurrencies: [1, 8, 32, 128],
    stormSizes: [8, 32, 128],
    stormsPerSize: 20,
    rateCeilings: { direct: 500, newKeys: 100, replays: 1000 },
    finishedPayments: 200,
    warmUpSeconds: 3,
  };
}
