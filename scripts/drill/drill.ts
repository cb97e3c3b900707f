import type { TemporalChoice } from '../lib/stack/temporal-choice';
import type { DrillStack } from './drill-stack';
import type { SimulatorControls } from './simulator-controls';

/** A scenario: drills that run only when named (`--scenario`), with settings of their own (drills.ts). */
export type DrillScenario = 'long-outage';

/** What a drill's disruption did, in the order it happened, for the result file. */
export interface DisruptionLog {
  /** `+<seconds into the load> <what>` lines. */
  events: string[];
  /** Kill drills: seconds from the kill until the API and the worker were ready again; null if they never were. */
  recoverySeconds?: number | null;
  /** What the drill's own check found wrong (long outages: a give-up while paused, or none without a pause). */
  problems?: string[];
}

export interface DrillContext {
  stack: DrillStack;
  simulator: SimulatorControls;
  loadMs: number;
  /** Fault drills inject this many bursts at random moments of the load. */
  faultBursts: number;
  /** Calls per burst. */
  burstSize: number;
  /** The API's UPSTREAM_TIMEOUT_MS: a slow answer beyond it is a timeout for the worker. */
  attemptTimeoutMs: number;
  /** How long a killed process stays down before it is started again. */
  downMs: number;
  /** How long a killed process may take to be ready again before the drill fails. */
  recoveryTimeoutMs: number;
  /** The API's UPSTREAM_RETRY_BUDGET_MS: long outages outlast it. */
  retryBudgetMs: number;
  log: DisruptionLog;
  /** Seconds since the load began, for the log. */
  elapsed(): string;
}

export interface Drill {
  name: string;
  description: string;
  /** The Temporal it needs, when not every one has what it disrupts (a dev server has no PostgreSQL). */
  only?: TemporalChoice;
  /** Set on the drills of a scenario (`--scenario`), which run only when it is named, with its settings. */
  scenario?: DrillScenario;
  /** Left out of `--quick` unless named in `--only`: longer than the quick lane's budget. */
  notInQuick?: boolean;
  /** Seconds of load in each mode, when the drill needs other than the plan's. */
  loadSeconds?: { quick: number; full: number };
  /**
   * Work before the load begins (CPU-heavy work in the drill's own process would stall its
   * checkouts); resolves with what undoes it, called once the drill is over.
   */
  prepare?(): Promise<() => void>;
  /** Runs while the load runs; resolves once its disruption is over (a killed process is back). */
  disrupt(context: DrillContext): Promise<void>;
}
