import { overheadAgainstDirect, ratiosAgainstFloor, type ScenarioId, type ScenarioResult } from './bench-result';
import { measuredStep } from '../../test/support/bench-steps';

/** A step with what the ratios read: throughput, p50 and p99. */
function measured(scenario: ScenarioId, concurrency: number, throughputPerSecond: number, p50: number, p99: number): ScenarioResult {
  return measuredStep(scenario, concurrency, { throughputPerSecond, p50, p99 });
}

describe('ratiosAgainstFloor', () => {
  it('divides each orchestrator row by its floor counterpart at the same concurrency', () => {
    const rows = ratiosAgainstFloor([
      measured('orchestrator-new-keys', 8, 33, 232, 400),
      measured('floor-new-keys', 8, 45, 171, 300),
      measured('orchestrator-replays', 8, 214, 34, 90),
      measured('floor-replays', 8, 482, 14, 60),
    ]);
    expect(rows).toEqual([
      {
        scenario: 'orchestrator-new-keys',
        concurrency: 8,
        floor: 'floor-new-keys',
        floorThroughputPerSecond: 45,
        throughputPerSecond: 33,
        throughputRatio: 0.73,
        floorP50Ms: 171,
        p50Ms: 232,
        p50Ratio: 1.36,
        p99Ratio: 1.33,
      },
      {
        scenario: 'orchestrator-replays',
        concurrency: 8,
        floor: 'floor-replays',
        floorThroughputPerSecond: 482,
        throughputPerSecond: 214,
        throughputRatio: 0.44,
        floorP50Ms: 14,
        p50Ms: 34,
        p50Ratio: 2.43,
        p99Ratio: 1.5,
      },
    ]);
  });

  it('pairs rows by concurrency, never across concurrencies', () => {
    const rows = ratiosAgainstFloor([measured('orchestrator-new-keys', 1, 10, 99, 120), measured('floor-new-keys', 8, 45, 171, 300)]);
    expect(rows).toEqual([]);
  });

  it('leaves out what has no floor counterpart: the direct call, storms and the floor itself', () => {
    const rows = ratiosAgainstFloor([
      measured('simulator-direct', 8, 7000, 0.5, 5),
      measured('duplicate-storms', 8, 50, 130, 400),
      measured('floor-new-keys', 8, 45, 171, 300),
      measured('floor-replays', 8, 482, 14, 60),
    ]);
    expect(rows).toEqual([]);
  });

  it('gives no ratio against a floor that answered nothing (zero throughput or latency)', () => {
    const rows = ratiosAgainstFloor([measured('orchestrator-new-keys', 8, 33, 232, 400), measured('floor-new-keys', 8, 0, 0, 0)]);
    expect(rows).toEqual([]);
  });
});

describe('overheadAgainstDirect', () => {
  it('gives the floor rows a ratio to the direct call, as every other scenario', () => {
    const rows = overheadAgainstDirect([measured('simulator-direct', 8, 7000, 0.5, 5), measured('floor-new-keys', 8, 45, 171, 300), measured('orchestrator-new-keys', 8, 33, 232, 400)]);
    expect(rows.map((row) => [row.scenario, row.p50Ratio, row.p99Ratio, row.addedP50Ms])).toEqual([
      ['floor-new-keys', 342, 60, 170.5],
      ['orchestrator-new-keys', 464, 80, 231.5],
    ]);
  });
});
