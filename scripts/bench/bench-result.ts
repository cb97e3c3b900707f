import { summarizeLatencies, type LatencySummary } from './latency-summary';
import type { StepObservation } from './load-step';
import type { MachineDescription } from './machine';
import { hundredths } from './step-statistics';

export type ScenarioId =
  | 'simulator-direct'
  | 'orchestrator-new-keys'
  | 'orchestrator-replays'
  | 'duplicate-storms'
  | 'floor-new-keys'
  | 'floor-replays'
  | 'orchestrator-new-keys-called-back'
  | 'orchestrator-new-keys-beside-hung-callbacks';

export const scenarioIds: readonly ScenarioId[] = [
  'simulator-direct',
  'orchestrator-new-keys',
  'orchestrator-replays',
  'duplicate-storms',
  'floor-new-keys',
  'floor-replays',
  'orchestrator-new-keys-called-back',
  'orchestrator-new-keys-beside-hung-callbacks',
];

/**
 * Each orchestrator scenario's counterpart on the engine floor: the same requests, the same load.
 * The direct call has none (it stops when its orders run out, so its throughput is a lower bound;
 * the floor's rows carry their p50 against it instead), nor have storms (the floor has no waiting
 * limit and no 423, so a storm against it would be another job).
 */
const floorCounterparts: Partial<Record<ScenarioId, ScenarioId>> = {
  'orchestrator-new-keys': 'floor-new-keys',
  'orchestrator-replays': 'floor-replays',
};

/** One scenario at one concurrency (for storms: one storm size). */
export interface ScenarioResult {
  scenario: ScenarioId;
  concurrency: number;
  /**
   * The callbacks scenario's rounds (./against-plain-client.ts): (g) and (h) of round N sit
   * between the plain client's (b) steps of rounds N and N + 1. Absent elsewhere.
   */
  round?: number;
  /** Requests that got an HTTP answer, whatever its status. */
  requests: number;
  elapsedSeconds: number;
  throughputPerSecond: number;
  /** Over every answered request, whatever its status. */
  latencyMs: LatencySummary;
  statusCounts: Record<string, number>;
  non2xx: number;
  /** Requests without an HTTP answer: connection errors and timeouts. */
  errors: number;
  timeouts: number;
  /** Answers carrying `Idempotent-Replayed: true`. */
  replayed: number;
  /** The step used every order (or replay request) it was given before its time was up. */
  stoppedEarly: boolean;
  /** Average cores each process kept busy during the step (Linux only; empty elsewhere). */
  coresBusy: Record<string, number>;
  /** Storms only: how many, and how often the simulator really processed their orders (ideally once per storm). */
  storms?: { count: number; upstreamEffects: number };
}

/** How much slower a scenario is than the direct call at the same concurrency. */
export interface OverheadRow {
  scenario: ScenarioId;
  concurrency: number;
  round?: number;
  directP50Ms: number;
  p50Ms: number;
  addedP50Ms: number;
  /** The scenario's p50 divided by the direct call's p50. */
  p50Ratio: number;
  p99Ratio: number;
}

/** How an orchestrator scenario compares with the engine floor doing the same job at the same concurrency. */
export interface FloorRatioRow {
  scenario: ScenarioId;
  concurrency: number;
  round?: number;
  floor: ScenarioId;
  floorThroughputPerSecond: number;
  throughputPerSecond: number;
  /** The scenario's throughput divided by the floor's: above 1, the orchestrator serves more per second. */
  throughputRatio: number;
  floorP50Ms: number;
  p50Ms: number;
  /** The scenario's p50 divided by the floor's: below 1, the orchestrator answers sooner. */
  p50Ratio: number;
  p99Ratio: number;
}

/** The callback scenarios, each set beside the plain client's new keys (b). */
export type CallbackScenarioId = Extract<ScenarioId, 'orchestrator-new-keys-called-back' | 'orchestrator-new-keys-beside-hung-callbacks'>;

/**
 * One round of (g) or (h) against the plain client measured around it: the mean of the (b) step
 * before the round and the one after it. One (b) step alone swings by up to ±20 % on this machine
 * (BENCHMARKS.md, "Callbacks (issue 27)"); bracketed, a drift during the round falls on both sides.
 */
export interface PlainClientRatioRow {
  scenario: CallbackScenarioId;
  concurrency: number;
  round: number;
  /** The (b) after the round against the (b) before it: how far the baseline itself moved. */
  baselineDrift: number;
  throughputRatio: number;
  p50Ratio: number;
  /** The stack's CPU per answered request against the plain client's. */
  cpuPerRequestRatio: number;
}

export interface BenchResult {
  startedAt: string;
  finishedAt: string;
  mode: 'quick' | 'full';
  machine: MachineDescription;
  configuration: Record<string, unknown>;
  scenarios: ScenarioResult[];
  overhead: OverheadRow[];
  /** Empty when the run measured no floor (`--scenarios` without `floor`). */
  againstFloor: FloorRatioRow[];
  /** Empty when the run measured no callbacks (`--scenarios` without `callbacks`). */
  againstPlainClient: PlainClientRatioRow[];
}

/** Summarises one or more autocannon runs of the same scenario and concurrency. */
export function summarizeScenario(scenario: ScenarioId, concurrency: number, observations: readonly StepObservation[], coresBusy: Record<string, number>): ScenarioResult {
  const statusCounts: Record<string, number> = {};
  for (const observation of observations) {
    for (const [status, count] of Object.entries(observation.statusCounts)) statusCounts[status] = (statusCounts[status] ?? 0) + count;
  }
  const sum = (pick: (observation: StepObservation) => number) => observations.reduce((total, observation) => total + pick(observation), 0);
  const requests = sum((observation) => observation.answered);
  const elapsedSeconds = sum((observation) => observation.elapsedSeconds);
  return {
    scenario,
    concurrency,
    requests,
    elapsedSeconds: Math.round(elapsedSeconds * 1000) / 1000,
    throughputPerSecond: elapsedSeconds > 0 ? Math.round((requests / elapsedSeconds) * 10) / 10 : 0,
    latencyMs: summarizeLatencies(observations.flatMap((observation) => observation.latenciesMs)),
    statusCounts,
    non2xx: Object.entries(statusCounts).reduce((total, [status, count]) => (status.startsWith('2') ? total : total + count), 0),
    errors: sum((observation) => observation.errors),
    timeouts: sum((observation) => observation.timeouts),
    replayed: sum((observation) => observation.replayed),
    stoppedEarly: observations.some((observation) => observation.reachedRequestLimit),
    coresBusy,
  };
}

/** Every orchestrator row against the direct call at the same concurrency, where there is one. */
export function overheadAgainstDirect(scenarios: readonly ScenarioResult[]): OverheadRow[] {
  const direct = new Map(scenarios.filter((row) => row.scenario === 'simulator-direct').map((row) => [row.concurrency, row.latencyMs]));
  return scenarios.flatMap((row) => {
    const floor = direct.get(row.concurrency);
    if (row.scenario === 'simulator-direct' || floor === undefined || floor.p50 <= 0 || floor.p99 <= 0) return [];
    return [
      {
        ...stepOf(row),
        directP50Ms: floor.p50,
        p50Ms: row.latencyMs.p50,
        addedP50Ms: Math.round((row.latencyMs.p50 - floor.p50) * 100) / 100,
        p50Ratio: Math.round((row.latencyMs.p50 / floor.p50) * 10) / 10,
        p99Ratio: Math.round((row.latencyMs.p99 / floor.p99) * 10) / 10,
      },
    ];
  });
}

/**
 * Every orchestrator row against its floor counterpart at the same concurrency, where both were
 * measured. Two decimals, not one: these ratios sit near 1, where a tenth is a large difference.
 */
export function ratiosAgainstFloor(scenarios: readonly ScenarioResult[]): FloorRatioRow[] {
  const measured = new Map(scenarios.map((row) => [`${row.scenario}/${row.concurrency}`, row]));
  return scenarios.flatMap((row) => {
    const floorId = floorCounterparts[row.scenario];
    const floor = floorId === undefined ? undefined : measured.get(`${floorId}/${row.concurrency}`);
    if (floorId === undefined || floor === undefined || floor.throughputPerSecond <= 0 || floor.latencyMs.p50 <= 0 || floor.latencyMs.p99 <= 0) return [];
    return [
      {
        ...stepOf(row),
        floor: floorId,
        floorThroughputPerSecond: floor.throughputPerSecond,
        throughputPerSecond: row.throughputPerSecond,
        throughputRatio: hundredths(row.throughputPerSecond / floor.throughputPerSecond),
        floorP50Ms: floor.latencyMs.p50,
        p50Ms: row.latencyMs.p50,
        p50Ratio: hundredths(row.latencyMs.p50 / floor.latencyMs.p50),
        p99Ratio: hundredths(row.latencyMs.p99 / floor.latencyMs.p99),
      },
    ];
  });
}

/** Which step a row is about: its scenario, concurrency and, in the callbacks scenario's rounds, round. */
function stepOf({ scenario, concurrency, round }: ScenarioResult): Pick<ScenarioResult, 'scenario' | 'concurrency' | 'round'> {
  return round === undefined ? { scenario, concurrency } : { scenario, concurrency, round };
}

/** A key naming one step among a run's rows. */
export function stepKey({ scenario, concurrency, round }: Pick<ScenarioResult, 'scenario' | 'concurrency' | 'round'>): string {
  return `${scenario}/${concurrency}/${round ?? ''}`;
}
