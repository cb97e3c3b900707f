import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { repoRoot } from '../lib/paths';
import { readTemporalChoice, type TemporalChoice } from '../lib/stack/temporal-choice';
import type { DrillScenario } from './drill';
import { defaultDrillNames, drillNamesOn, scenarioDrills, scenarios } from './drills';

/** How long and how hard each drill pushes; printed and stored with the results. */
export interface DrillPlan {
  mode: 'quick' | 'full';
  /** The dev server (one API, one worker), or the real server on PostgreSQL (two of each, the load spread over both APIs). */
  temporal: TemporalChoice;
  drills: readonly string[];
  /** Seconds of new keys per drill; the disruption happens inside this window. */
  loadSeconds: number;
  lanes: number;
  /** How long one key's checkout keeps trying before the key counts as unanswered. */
  keyDeadlineSeconds: number;
  requestTimeoutMs: number;
  faultBursts: number;
  burstSize: number;
  /** Kill drills: how long the killed process stays down, so requests meet its absence. */
  downSeconds: number;
  recoveryTimeoutSeconds: number;
  /** The orchestrator's settings for the run (the API's environment). */
  apiEnvironment: Readonly<Record<string, string>>;
  outputDirectory: string;
  verbose: boolean;
}

const USAGE = [
  'usage: run-drill [--quick] [--temporal dev-server|postgres] [--only DRILL[,DRILL…] | --scenario SCENARIO] [--output-dir DIR] [--verbose]',
  `drills: ${drillNamesOn('postgres').join(', ')} (kill-postgres and rollout with --temporal postgres only; rollout not in --quick unless named)`,
  `scenarios: ${Object.keys(scenarios).join(', ')} (their drills run alone, with their own settings)`,
].join('\n');

export const API_ENVIRONMENT = {
  WAIT_FOR_RESULT_MS: '5000',
  // Short, so hangs and slow answers become timeouts within a drill, and a lost attempt is retried soon.
  UPSTREAM_TIMEOUT_MS: '2000',
  UPSTREAM_RETRY_INITIAL_MS: '100',
  UPSTREAM_RETRY_MAX_INTERVAL_MS: '1000',
  UPSTREAM_RETRY_BUDGET_MS: '60000',
  TEMPORAL_RPC_TIMEOUT_MS: '3000',
} as const;

/** Reads the command line and DRILL_* variables (flags win). */
export function readDrillPlan(argv: readonly string[], env: NodeJS.ProcessEnv): DrillPlan {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      quick: { type: 'boolean', default: false },
      only: { type: 'string' },
      scenario: { type: 'string' },
      temporal: { type: 'string' },
      'output-dir': { type: 'string' },
      verbose: { type: 'boolean', default: false },
    },
    strict: true,
  });
  const temporal = readTemporalChoice(values.temporal, USAGE);
  if (values.scenario !== undefined) return scenarioPlan(values.scenario, { ...values, temporal }, env);
  const available = drillNamesOn(temporal);
  const quick = values.quick || env.DRILL_QUICK === '1';
  const selected = values.only?.split(',').map((name) => name.trim()) ?? defaultDrillNames(temporal, quick ? 'quick' : 'full');
  const unknown = selected.filter((name) => !available.includes(name));
  if (unknown.length > 0 || selected.length === 0) throw new Error(`unknown drill ${unknown.join(', ')}\n${USAGE}`);
  const common = {
    temporal,
    drills: selected,
    // Beyond WAIT_FOR_RESULT_MS, so a slow payment shows up as the API's 423, not as a client timeout.
    requestTimeoutMs: 15_000,
    downSeconds: 2,
    recoveryTimeoutSeconds: 90,
    apiEnvironment: API_ENVIRONMENT,
    outputDirectory: values['output-dir'] ?? env.DRILL_OUTPUT_DIR ?? join(repoRoot, 'artifacts/drill'),
    verbose: values.verbose || env.DRILL_VERBOSE === '1',
  };
  if (quick) {
    return { ...common, mode: 'quick', loadSeconds: 5, lanes: 6, keyDeadlineSeconds: 60, faultBursts: 2, burstSize: 8 };
  }
  return { ...common, mode: 'full', loadSeconds: 25, lanes: 16, keyDeadlineSeconds: 90, faultBursts: 3, burstSize: 30 };
}

/** A scenario's drills, alone: the plan of the mode asked for, with the scenario's load and settings on top. */
function scenarioPlan(name: string, values: { quick?: boolean; temporal: TemporalChoice; 'output-dir'?: string; verbose?: boolean }, env: NodeJS.ProcessEnv): DrillPlan {
  if (!(name in scenarios)) throw new Error(`unknown scenario ${name}\n${USAGE}`);
  const scenario = scenarios[name as DrillScenario];
  const base = readDrillPlan(
    [...(values.quick === true ? ['--quick'] : []), '--temporal', values.temporal, ...(values['output-dir'] === undefined ? [] : ['--output-dir', values['output-dir']])],
    env,
  );
  return {
    ...base,
    drills: scenarioDrills.filter((drill) => drill.scenario === name).map((drill) => drill.name),
    loadSeconds: scenario.loadSeconds,
    apiEnvironment: { ...base.apiEnvironment, ...scenario.apiEnvironment },
    verbose: base.verbose || values.verbose === true,
  };
}
