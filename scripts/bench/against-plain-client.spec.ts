import { ratiosAgainstPlainClient, summarizeAgainstPlainClient } from './against-plain-client';
import type { ScenarioId, ScenarioResult } from './bench-result';
import { measuredStep } from '../../test/support/bench-steps';

/** A step at eight connections over one second, with what the ratios read: throughput, p50 and the stack's cores. */
function step(scenario: ScenarioId, round: number | undefined, throughputPerSecond: number, p50: number, stackCores: number): ScenarioResult {
  const coresBusy = { temporal: stackCores / 2, api: stackCores / 2, 'load generator': 0.5, other: 0.5 };
  return measuredStep(scenario, 8, { throughputPerSecond, p50, coresBusy, ...(round === undefined ? {} : { round }) });
}

describe('ratiosAgainstPlainClient', () => {
  it('sets each round against the mean of the plain client before and after it, not the step before alone', () => {
    const rows = ratiosAgainstPlainClient([
      step('orchestrator-new-keys', 1, 60, 120, 1.8),
      step('orchestrator-new-keys-called-back', 1, 45, 160, 1.8),
      step('orchestrator-new-keys-beside-hung-callbacks', 1, 50, 140, 1.8),
      step('orchestrator-new-keys', 2, 40, 180, 1.8),
    ]);
    expect(rows).toEqual([
      // The baseline: (60 + 40) / 2 = 50 req/s, p50 (120 + 180) / 2 = 150 ms, stack CPU (30 + 45) / 2 = 37.5 ms per request.
      { scenario: 'orchestrator-new-keys-called-back', concurrency: 8, round: 1, baselineDrift: 0.67, throughputRatio: 0.9, p50Ratio: 1.07, cpuPerRequestRatio: 1.07 },
      { scenario: 'orchestrator-new-keys-beside-hung-callbacks', concurrency: 8, round: 1, baselineDrift: 0.67, throughputRatio: 1, p50Ratio: 0.93, cpuPerRequestRatio: 0.96 },
    ]);
  });

  it('counts only the stack, not the load generator or the rest of the machine, in CPU per request', () => {
    const [row] = ratiosAgainstPlainClient([step('orchestrator-new-keys', 1, 50, 100, 1), step('orchestrator-new-keys-called-back', 1, 50, 100, 1.5)]);
    expect(row?.cpuPerRequestRatio).toBe(1.5);
  });

  it('uses the step before alone when no (b) follows the round, and ignores (b) steps outside the rounds', () => {
    const rows = ratiosAgainstPlainClient([
      step('orchestrator-new-keys', undefined, 100, 50, 1),
      step('orchestrator-new-keys', 1, 50, 100, 1),
      step('orchestrator-new-keys-called-back', 1, 40, 100, 1),
    ]);
    expect(rows.map((row) => [row.throughputRatio, row.baselineDrift])).toEqual([[0.8, 1]]);
  });
});

describe('summarizeAgainstPlainClient', () => {
  it('gives the median of the rounds at each concurrency, with every round kept', () => {
    const rows = ratiosAgainstPlainClient([
      step('orchestrator-new-keys', 1, 50, 100, 1),
      step('orchestrator-new-keys-called-back', 1, 40, 100, 1),
      step('orchestrator-new-keys', 2, 50, 100, 1),
      step('orchestrator-new-keys-called-back', 2, 47, 100, 1),
      step('orchestrator-new-keys', 3, 50, 100, 1),
      step('orchestrator-new-keys-called-back', 3, 45, 100, 1),
      step('orchestrator-new-keys', 4, 50, 100, 1),
    ]);
    const [summary] = summarizeAgainstPlainClient(rows);
    expect(summary).toMatchObject({ scenario: 'orchestrator-new-keys-called-back', concurrency: 8, rounds: 3, throughputRatios: [0.8, 0.94, 0.9], medianThroughputRatio: 0.9 });
  });
});
