import type { OverheadRow, ScenarioResult } from './bench-result';

const SCENARIO_LABELS = {
  'simulator-direct': '(a) simulator direct',
  'orchestrator-new-keys': '(b) new keys',
  'orchestrator-replays': '(c) replays',
  'duplicate-storms': '(d) duplicate storms',
} as const;

/** The results as a Markdown table, readable in a terminal and pasted as it is into BENCHMARKS.md. */
export function renderResultsTable(scenarios: readonly ScenarioResult[], overhead: readonly OverheadRow[]): string {
  const ratios = new Map(overhead.map((row) => [`${row.scenario}/${row.concurrency}`, row]));
  const header = ['Scenario', 'Conc.', 'Requests', 'Req/s', 'p50 ms', 'p90 ms', 'p99 ms', 'p50 vs (a)', 'Answers', 'Replayed', 'No answer'];
  const rows = scenarios.map((row) => {
    const ratio = ratios.get(`${row.scenario}/${row.concurrency}`);
    return [
      scenarioLabel(row),
      String(row.concurrency),
      String(row.requests) + (row.stoppedEarly ? ' (all used)' : ''),
      row.throughputPerSecond.toFixed(1),
      row.latencyMs.p50.toFixed(2),
      row.latencyMs.p90.toFixed(2),
      row.latencyMs.p99.toFixed(2),
      ratio === undefined ? '' : `×${ratio.p50Ratio} (+${ratio.addedP50Ms} ms)`,
      Object.entries(row.statusCounts)
        .map(([status, count]) => `${status}: ${count}`)
        .join(', '),
      String(row.replayed),
      row.errors === 0 ? '0' : `${row.errors} (${row.timeouts} timeouts)`,
    ];
  });
  return markdownTable(header, rows);
}

/** Where each step's CPU went: average cores busy per process (the machine has os.cpus() of them). */
export function renderCpuTable(scenarios: readonly ScenarioResult[]): string {
  const processes = [...new Set(scenarios.flatMap((row) => Object.keys(row.coresBusy)))];
  const rows = scenarios.map((row) => [scenarioLabel(row), String(row.concurrency), ...processes.map((name) => (row.coresBusy[name] ?? 0).toFixed(2))]);
  return markdownTable(['Scenario', 'Conc.', ...processes], rows);
}

function scenarioLabel(row: ScenarioResult): string {
  const storms = row.storms === undefined ? '' : ` (${row.storms.count} storms, ${row.storms.upstreamEffects} upstream effects)`;
  return SCENARIO_LABELS[row.scenario] + storms;
}

export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: readonly string[]) => `| ${cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join(' | ')} |`;
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}
