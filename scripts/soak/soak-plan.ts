import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { repoRoot } from '../lib/paths';
import { readTemporalChoice, type TemporalChoice } from '../lib/stack/temporal-choice';
import { API_ENVIRONMENT } from '../drill/drill-plan';

/** How long and how hard the soak pushes; printed and stored with the results. */
export interface SoakPlan {
  temporal: TemporalChoice;
  /** Minutes of traffic; the drain and the final checks come after. */
  minutes: number;
  /** Seconds between two samples. */
  sampleSeconds: number;
  /** Minutes between two restarts of the first worker. */
  workerRestartMinutes: number;
  /** Checkouts sending at once. */
  lanes: number;
  /** Pending payments left unsettled for the whole run, so their follow-ups poll on and continue as new. */
  longPending: number;
  /** Pending payments settled later that may wait at once; beyond it a lane pays an ordinary order instead. */
  maxPendingWaiting: number;
  /** A pending payment's settlement comes this long after its answer, at random between the two. */
  settleDelayMs: { min: number; max: number };
  /** Temporal suggests continue-as-new past this many history events (limit.historyCount.suggestContinueAsNew). */
  suggestContinueAsNewAfterEvents: number;
  requestTimeoutMs: number;
  keyDeadlineMs: number;
  /** After the traffic: how long open follow-ups, runs and callbacks get to finish. */
  drainTimeoutMs: number;
  /** The API's settings (both APIs'). */
  apiEnvironment: Readonly<Record<string, string>>;
  outputDirectory: string;
  verbose: boolean;
}

const USAGE =
  'usage: run-soak [--minutes N (1–60, default 25)] [--temporal dev-server|postgres] [--sample-seconds S (5–300, default 30)] [--worker-restart-minutes M (1–30, default 4)] [--output-dir DIR] [--verbose]';

/** A small answer memory and short-lived ownership records, so that both reach their steady size well within a run. */
export const ANSWER_MEMORY_MAX_BYTES = 2 * 1024 * 1024;
export const ORDER_OWNERSHIP_TTL_MS = 5 * 60_000;

/** Reads the command line (`npm run soak -- --minutes 25 --temporal postgres`). */
export function readSoakPlan(argv: readonly string[]): SoakPlan {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      minutes: { type: 'string' },
      temporal: { type: 'string' },
      'sample-seconds': { type: 'string' },
      'worker-restart-minutes': { type: 'string' },
      'output-dir': { type: 'string' },
      verbose: { type: 'boolean', default: false },
    },
    strict: true,
  });
  const minutes = boundedNumber('--minutes', values.minutes, 25, 1, 60);
  return {
    temporal: readTemporalChoice(values.temporal, USAGE),
    minutes,
    sampleSeconds: boundedNumber('--sample-seconds', values['sample-seconds'], 30, 5, 300),
    workerRestartMinutes: boundedNumber('--worker-restart-minutes', values['worker-restart-minutes'], 4, 1, 30),
    lanes: 6,
    longPending: 4,
    maxPendingWaiting: 20,
    settleDelayMs: { min: 5_000, max: 40_000 },
    // Far below Temporal's 4 Ki default, so that a follow-up reading every 5 s continues as new every few minutes of a run.
    suggestContinueAsNewAfterEvents: 300,
    requestTimeoutMs: 15_000,
    keyDeadlineMs: 90_000,
    drainTimeoutMs: 180_000,
    apiEnvironment: {
      ...API_ENVIRONMENT,
      ANSWER_MEMORY_MAX_BYTES: String(ANSWER_MEMORY_MAX_BYTES),
      ORDER_OWNERSHIP_TTL_MS: String(ORDER_OWNERSHIP_TTL_MS),
      // Follow-ups read every 2 s, then every 5 s, and notified reads come at most once a second.
      FOLLOW_UP_POLL_INITIAL_MS: '2000',
      FOLLOW_UP_POLL_MAX_INTERVAL_MS: '5000',
      FOLLOW_UP_MIN_NOTIFIED_READ_INTERVAL_MS: '1000',
      // Past any run: no follow-up reaches its horizon within the soak.
      FOLLOW_UP_HORIZON_MS: String(3 * 60 * 60_000),
    },
    outputDirectory: values['output-dir'] ?? join(repoRoot, 'artifacts/soak'),
    verbose: values.verbose,
  };
}

function boundedNumber(flag: string, text: string | undefined, fallback: number, min: number, max: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value < min || value > max) throw new Error(`${flag} takes a number from ${min} to ${max}, not "${text}"\n${USAGE}`);
  return value;
}
