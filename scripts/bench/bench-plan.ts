import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { repoRoot } from '../lib/paths';
import { readTemporalChoice, type TemporalChoice } from '../lib/stack/temporal-choice';

/** Everything a run measures and how hard it pushes; printed and stored with the results. */
export interface BenchPlan {
  mode: 'quick' | 'full';
  /** The Temporal under the stack: the CLI's dev server, or the real server on a private PostgreSQL. */
  temporal: TemporalChoice;
  simulatorLatencyMs: number;
  /** How long each (scenario, concurrency) step may last. */
  stepSeconds: number;
  /** Connection counts for the direct, new-key and replay scenarios (the floor's too). */
  concurrencies: readonly number[];
  /** Duplicates per storm: all of them are sent at once on their own connections. */
  stormSizes: readonly number[];
  stormsPerSize: number;
  /**
   * The request rates each step is sized for: a step gets stepSeconds × ceiling pre-created orders
   * (or replay requests) and stops early if it uses them all, rather than reuse an order. The
   * direct ceiling is deliberately below what the simulator serves: creating an order takes two
   * simulator calls, more than processing it, so the direct call is measured over a fixed count of orders
   * and ends early. The floor's new keys and replays get the orchestrator's ceilings: the same load.
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
  /**
   * Rounds of the callbacks scenario at each concurrency: (b), (g), (h) each round, and a last (b)
   * after them, so that every (g) and (h) is set against the plain client's steps on either side.
   */
  callbackRounds: number;
  /** Which scenarios run; an A/B comparison usually needs only the new keys. */
  scenarios: ReadonlySet<ScenarioName>;
  /** A variant of the stack under test: added to the defaults, printed and stored with the results. */
  variant: StackVariant;
}

/** `floor` is the engine floor's new keys and replays, at the same concurrencies as the orchestrator's. */
/** `callbacks` is new keys of a client with a callback URL, and of one beside a client whose receiver never answers. */
export const scenarioNames = ['direct', 'new-keys', 'replays', 'storms', 'floor', 'callbacks'] as const;
export type ScenarioName = (typeof scenarioNames)[number];

/** What an experiment changes in the stack; empty records mean the project's defaults. */
export interface StackVariant {
  workerEnvironment: Readonly<Record<string, string>>;
  /** Overrides the API settings above. */
  apiEnvironment: Readonly<Record<string, string>>;
  temporalSqlitePragmas: Readonly<Record<string, string>>;
  temporalDynamicConfig: Readonly<Record<string, string>>;
  /** Keep Temporal's SQLite in a file (in a temporary directory) instead of in memory. */
  temporalDbFile: boolean;
}

/** The stack as the product configures it, for runs that compare nothing. */
export const UNCHANGED_STACK: StackVariant = { workerEnvironment: {}, apiEnvironment: {}, temporalSqlitePragmas: {}, temporalDynamicConfig: {}, temporalDbFile: false };

const USAGE = [
  'usage: run-bench [--quick] [--temporal dev-server|postgres] [--latency-ms N] [--output-dir DIR] [--verbose]',
  '                 [--scenarios direct,new-keys,replays,storms,floor,callbacks] [--concurrencies 1,8] [--step-seconds N] [--rounds N (callbacks)]',
  '                 [--worker-env K=V]... [--api-env K=V]... [--temporal-pragma K=V]... [--temporal-config K=JSON]... [--temporal-db-file] (the last three: dev server only)',
].join('\n');

/** Repeated `KEY=VALUE` options as a record; a later key wins. */
function keyValues(option: string, items: readonly string[] | undefined): Record<string, string> {
  const record: Record<string, string> = {};
  for (const item of items ?? []) {
    const separator = item.indexOf('=');
    if (separator < 1) throw new Error(`--${option} takes KEY=VALUE, not "${item}"\n${USAGE}`);
    record[item.slice(0, separator)] = item.slice(separator + 1);
  }
  return record;
}

function positiveIntegers(option: string, text: string): number[] {
  const numbers = text.split(',').map(Number);
  if (numbers.some((value) => !Number.isInteger(value) || value < 1 || value > 1000)) {
    throw new Error(`--${option} takes integers from 1 to 1000, comma-separated, not "${text}"\n${USAGE}`);
  }
  return numbers;
}

function onePositiveInteger(option: string, text: string): number {
  const [value, ...rest] = positiveIntegers(option, text);
  if (value === undefined || rest.length > 0) throw new Error(`--${option} takes one integer, not "${text}"\n${USAGE}`);
  return value;
}

function scenarioSet(text: string | undefined): Set<ScenarioName> {
  if (text === undefined) return new Set(scenarioNames);
  const names = text.split(',');
  const unknown = names.filter((name) => !(scenarioNames as readonly string[]).includes(name));
  if (unknown.length > 0) throw new Error(`unknown scenario ${unknown.join(', ')}: choose from ${scenarioNames.join(', ')}\n${USAGE}`);
  return new Set(names as ScenarioName[]);
}

/** Reads the command line and BENCH_* variables (flags win). */
export function readBenchPlan(argv: readonly string[], env: NodeJS.ProcessEnv): BenchPlan {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      quick: { type: 'boolean', default: false },
      temporal: { type: 'string' },
      'latency-ms': { type: 'string' },
      'output-dir': { type: 'string' },
      verbose: { type: 'boolean', default: false },
      scenarios: { type: 'string' },
      concurrencies: { type: 'string' },
      'step-seconds': { type: 'string' },
      rounds: { type: 'string' },
      'worker-env': { type: 'string', multiple: true },
      'api-env': { type: 'string', multiple: true },
      'temporal-pragma': { type: 'string', multiple: true },
      'temporal-config': { type: 'string', multiple: true },
      'temporal-db-file': { type: 'boolean', default: false },
    },
    strict: true,
  });
  const quick = values.quick || env.BENCH_QUICK === '1';
  const latencyText = values['latency-ms'] ?? env.BENCH_SIMULATOR_LATENCY_MS ?? '0';
  const simulatorLatencyMs = Number(latencyText);
  if (!Number.isInteger(simulatorLatencyMs) || simulatorLatencyMs < 0 || simulatorLatencyMs > 60_000) {
    throw new Error(`the simulator latency must be an integer from 0 to 60000 ms, not "${latencyText}"\n${USAGE}`);
  }
  const variant: StackVariant = {
    workerEnvironment: keyValues('worker-env', values['worker-env']),
    apiEnvironment: keyValues('api-env', values['api-env']),
    temporalSqlitePragmas: keyValues('temporal-pragma', values['temporal-pragma']),
    temporalDynamicConfig: keyValues('temporal-config', values['temporal-config']),
    temporalDbFile: values['temporal-db-file'],
  };
  const temporal = readTemporalChoice(values.temporal, USAGE);
  const devServerOptions = Object.keys(variant.temporalSqlitePragmas).length + Object.keys(variant.temporalDynamicConfig).length + (variant.temporalDbFile ? 1 : 0);
  if (temporal === 'postgres' && devServerOptions > 0) throw new Error(`--temporal-pragma, --temporal-config and --temporal-db-file change the dev server, not the cluster\n${USAGE}`);
  const common = {
    temporal,
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
      ...variant.apiEnvironment,
    },
    outputDirectory: values['output-dir'] ?? env.BENCH_OUTPUT_DIR ?? join(repoRoot, 'artifacts/bench'),
    verbose: values.verbose || env.BENCH_VERBOSE === '1',
    scenarios: scenarioSet(values.scenarios),
    variant,
  };
  const base = quick ? quickPlan : fullPlan;
  const stepText = values['step-seconds'];
  return {
    ...common,
    ...base,
    ...(values.concurrencies === undefined ? {} : { concurrencies: positiveIntegers('concurrencies', values.concurrencies) }),
    ...(stepText === undefined ? {} : { stepSeconds: onePositiveInteger('step-seconds', stepText) }),
    callbackRounds: values.rounds === undefined ? 1 : onePositiveInteger('rounds', values.rounds),
  };
}

type ModePlan = Pick<BenchPlan, 'mode' | 'stepSeconds' | 'concurrencies' | 'stormSizes' | 'stormsPerSize' | 'rateCeilings' | 'finishedPayments' | 'warmUpSeconds'>;

const quickPlan: ModePlan = {
  mode: 'quick',
  stepSeconds: 1,
  concurrencies: [1, 8],
  stormSizes: [8],
  stormsPerSize: 2,
  rateCeilings: { direct: 400, newKeys: 150, replays: 400 },
  finishedPayments: 10,
  warmUpSeconds: 1,
};

const fullPlan: ModePlan = {
  mode: 'full',
  stepSeconds: 10,
  concurrencies: [1, 8, 32, 128],
  // 1,000 duplicates at once: one upstream effect, every answer 200 or 423 (issue: storms).
  stormSizes: [8, 32, 128, 1000],
  stormsPerSize: 20,
  // Requests prepared per second of a step: above what each scenario can reach, so none runs dry.
  rateCeilings: { direct: 500, newKeys: 300, replays: 10000 },
  finishedPayments: 200,
  warmUpSeconds: 3,
};
