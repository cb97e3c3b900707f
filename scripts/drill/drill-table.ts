import { markdownTable } from '../lib/markdown-table';
import { invariantNames, type DrillResult, type InvariantName } from './drill-result';

/** One row per drill: what was sent, what came back, what Temporal and the upstream saw, and the verdict. */
export function renderDrillTable(results: readonly DrillResult[]): string {
  const header = ['Drill', 'Requests', 'Answers by status', 'Keys', 'Answered', 'Runs', 'Upstream calls', 'Effects', 'Max effects/key', 'Recovery s', 'Invariants'];
  const rows = results.map((result) => [
    result.drill,
    String(result.requests),
    Object.entries(result.answers)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([label, count]) => `${label}: ${count}`)
      .join(', '),
    String(result.keys),
    String(result.keysAnswered),
    `${result.runs.total} (${Object.entries(result.runs.byStatus)
      .map(([status, count]) => `${status.toLowerCase()} ${count}`)
      .join(', ')})`,
    String(result.upstream.calls),
    String(result.upstream.effects),
    String(result.upstream.maxEffectsPerKey),
    result.disruption.recoverySeconds === undefined ? '' : String(result.disruption.recoverySeconds ?? 'never'),
    failedInvariants(result).length === 0 ? 'PASS' : `FAIL: ${failedInvariants(result).join(', ')}`,
  ]);
  return markdownTable(header, rows);
}

/** The invariants, each PASS or FAIL over all drills. */
export function renderInvariants(results: readonly DrillResult[]): string {
  return (Object.keys(invariantNames) as InvariantName[])
    .map((name) => {
      const failing = results.filter((result) => !result.invariants[name]).map((result) => result.drill);
      return `${failing.length === 0 ? 'PASS' : 'FAIL'}  ${invariantNames[name]}${failing.length === 0 ? '' : ` (${failing.join(', ')})`}`;
    })
    .join('\n');
}

function failedInvariants(result: DrillResult): string[] {
  return (Object.keys(invariantNames) as InvariantName[]).filter((name) => !result.invariants[name]);
}
