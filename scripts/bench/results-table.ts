import { markdownTable } from '../lib/markdown-table';
import { stepKey, type FloorRatioRow, type OverheadRow, type ScenarioResult } from './bench-result';
import type { PlainClientSummary } from './against-plain-client';
import { spread } from './step-statistics';

const SCENARIO_LABELS = {
  'simulator-direct': '(a) simulator direct',
  'orchestrator-new-keys': '(b) new keys',
  'orchestrator-replays': '(c) replays',
  'duplicate-storms': '(d) duplicate storms',
  'floor-new-keys': '(e) floor: new keys',
  'floor-replays': '(f) floor: replays',
  'orchestrator-new-keys-called-back': '(g) new keys, client with a callback URL',
  'orchestrator-new-keys-beside-hung-callbacks': '(h) new keys beside a client whose receiver never answers',
} as const;

/**
 * The results as a Markdown table, readable in a terminal and pasted as it is into BENCHMARKS.md:
 * each row with its p50 against the direct call (a), and the orchestrator's rows also with their
 * throughput and p50 against the floor's row of the same kind and concurrency, (e) or (f).
 */
export function renderResultsTable(scenarios: readonly ScenarioResult[], overhead: readonly OverheadRow[], againstFloor: readonly FloorRatioRow[]): string {
  const ratios = new Map(overhead.map((row) => [stepKey(row), row]));
  const floorRatios = new Map(againstFloor.map((row) => [stepKey(row), row]));
  const header = ['Scenario', 'Conc.', 'Requests', 'Req/s', 'p50 ms', 'p90 ms', 'p99 ms', 'p50 vs (a)', 'Req/s vs floor', 'p50 vs floor', 'Answers', 'Replayed', 'No answer'];
  const rows = scenarios.map((row) => {
    const ratio = ratios.get(stepKey(row));
    const floorRatio = floorRatios.get(stepKey(row));
    return [
      scenarioLabel(row),
      String(row.concurrency),
      String(row.requests) + (row.stoppedEarly ? ' (all used)' : ''),
      row.throughputPerSecond.toFixed(1),
      row.latencyMs.p50.toFixed(2),
      row.latencyMs.p90.toFixed(2),
      row.latencyMs.p99.toFixed(2),
      ratio === undefined ? '' : `×${ratio.p50Ratio} (+${ratio.addedP50Ms} ms)`,
      floorRatio === undefined ? '' : `×${floorRatio.throughputRatio}`,
      floorRatio === undefined ? '' : `×${floorRatio.p50Ratio}`,
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

/**
 * (g) and (h) against the plain client's (b) around them, per concurrency: the median of the
 * rounds' ratios, with their range, and how far (b) itself moved across each round.
 */
export function renderPlainClientTable(summaries: readonly PlainClientSummary[]): string {
  const rows = summaries.map((summary) => [
    SCENARIO_LABELS[summary.scenario],
    String(summary.concurrency),
    String(summary.rounds),
    `×${summary.medianThroughputRatio} (${spread(summary.throughputRatios)})`,
    `×${summary.medianP50Ratio} (${spread(summary.p50Ratios)})`,
    `×${summary.medianCpuPerRequestRatio} (${spread(summary.cpuPerRequestRatios)})`,
    spread(summary.baselineDrifts),
  ]);
  return markdownTable(['Against the plain client (b)', 'Conc.', 'Rounds', 'Req/s', 'p50', 'Stack CPU/req', '(b) drift over a round'], rows);
}

function scenarioLabel(row: ScenarioResult): string {
  const storms = row.storms === undefined ? '' : ` (${row.storms.count} storms, ${row.storms.upstreamEffects} upstream effects)`;
  const round = row.round === undefined ? '' : `, round ${row.round}`;
  return SCENARIO_LABELS[row.scenario] + round + storms;
}
