import type { ScenarioId, ScenarioResult } from '../../scripts/bench/bench-result';

/** What a bench test sets in a step; the rest of the row follows from it. */
export interface StepFigures {
  throughputPerSecond: number;
  p50: number;
  /** Twice the p50 unless given. */
  p99?: number;
  round?: number;
  coresBusy?: Record<string, number>;
}

/**
 * A bench step measured over one second: its requests are its throughput, every answer a 200
 * (replayed in the replay scenarios), so the ratios and tables read only the figures given.
 */
export function measuredStep(scenario: ScenarioId, concurrency: number, { throughputPerSecond, p50, p99 = p50 * 2, round, coresBusy = {} }: StepFigures): ScenarioResult {
  return {
    scenario,
    concurrency,
    ...(round === undefined ? {} : { round }),
    requests: throughputPerSecond,
    elapsedSeconds: 1,
    throughputPerSecond,
    latencyMs: { p50, p90: p99, p99, mean: p50, max: p99 },
    statusCounts: { '200': throughputPerSecond },
    non2xx: 0,
    errors: 0,
    timeouts: 0,
    replayed: scenario.endsWith('replays') ? throughputPerSecond : 0,
    stoppedEarly: false,
    coresBusy,
  };
}
