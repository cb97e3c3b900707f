import { overheadAgainstDirect, ratiosAgainstFloor, type ScenarioId, type ScenarioResult } from './bench-result';
import { renderResultsTable } from './results-table';
import { measuredStep } from '../../test/support/bench-steps';

function measured(scenario: ScenarioId, concurrency: number, throughputPerSecond: number, p50: number): ScenarioResult {
  return measuredStep(scenario, concurrency, { throughputPerSecond, p50 });
}

/** The table's cells by row label and column title, so the tests do not depend on padding. */
function cells(table: string): Map<string, Record<string, string>> {
  const [header = [], , ...rows] = table.split('\n').map((line) =>
    line
      .split('|')
      .slice(1, -1)
      .map((cell) => cell.trim()),
  );
  return new Map(rows.map((row) => [`${row[0]} ×${row[1]}`, Object.fromEntries(header.map((title, column) => [title, row[column] ?? '']))]));
}

describe('renderResultsTable', () => {
  const scenarios = [
    measured('simulator-direct', 8, 7000, 0.5),
    measured('orchestrator-new-keys', 8, 33, 232),
    measured('floor-new-keys', 8, 45, 171),
    measured('orchestrator-replays', 8, 214, 34),
    measured('floor-replays', 8, 482, 14),
  ];
  const table = cells(renderResultsTable(scenarios, overheadAgainstDirect(scenarios), ratiosAgainstFloor(scenarios)));

  it('lists the floor rows under their own labels', () => {
    expect([...table.keys()]).toEqual(['(a) simulator direct ×8', '(b) new keys ×8', '(e) floor: new keys ×8', '(c) replays ×8', '(f) floor: replays ×8']);
  });

  it('shows every orchestrator row against the floor: throughput and p50', () => {
    expect(table.get('(b) new keys ×8')).toMatchObject({ 'Req/s vs floor': '×0.73', 'p50 vs floor': '×1.36' });
    expect(table.get('(c) replays ×8')).toMatchObject({ 'Req/s vs floor': '×0.44', 'p50 vs floor': '×2.43' });
  });

  it('shows every row but the direct call against the direct call, the floor included', () => {
    expect(table.get('(e) floor: new keys ×8')).toMatchObject({ 'p50 vs (a)': '×342 (+170.5 ms)', 'Req/s vs floor': '', 'p50 vs floor': '' });
    expect(table.get('(f) floor: replays ×8')?.['p50 vs (a)']).toBe('×28 (+13.5 ms)');
    expect(table.get('(a) simulator direct ×8')).toMatchObject({ 'p50 vs (a)': '', 'Req/s vs floor': '' });
  });

  it('leaves the floor columns empty when the run measured no floor', () => {
    const withoutFloor = scenarios.filter((row) => !row.scenario.startsWith('floor'));
    const rows = cells(renderResultsTable(withoutFloor, overheadAgainstDirect(withoutFloor), ratiosAgainstFloor(withoutFloor)));
    expect(rows.get('(b) new keys ×8')).toMatchObject({ 'p50 vs (a)': '×464 (+231.5 ms)', 'Req/s vs floor': '', 'p50 vs floor': '' });
  });
});
