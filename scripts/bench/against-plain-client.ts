import type { CallbackScenarioId, PlainClientRatioRow, ScenarioResult } from './bench-result';
import { hundredths, median, stackCpuMsPerRequest } from './step-statistics';

const callbackScenarios: readonly CallbackScenarioId[] = ['orchestrator-new-keys-called-back', 'orchestrator-new-keys-beside-hung-callbacks'];

/** Every round's (g) and (h) against the mean of the (b) steps on either side of it. */
export function ratiosAgainstPlainClient(scenarios: readonly ScenarioResult[]): PlainClientRatioRow[] {
  const plain = new Map(scenarios.filter((row) => row.scenario === 'orchestrator-new-keys' && row.round !== undefined).map((row) => [`${row.concurrency}/${row.round}`, row]));
  return scenarios.flatMap((row) => {
    const scenario = callbackScenarios.find((id) => id === row.scenario);
    const before = plain.get(`${row.concurrency}/${row.round}`);
    const after = plain.get(`${row.concurrency}/${(row.round ?? 0) + 1}`) ?? before;
    if (scenario === undefined || row.round === undefined || before === undefined || after === undefined) return [];
    const mean = (pick: (step: ScenarioResult) => number) => (pick(before) + pick(after)) / 2;
    const ratio = (value: number, baseline: number) => (baseline > 0 ? hundredths(value / baseline) : 0);
    return [
      {
        scenario,
        concurrency: row.concurrency,
        round: row.round,
        baselineDrift: ratio(after.throughputPerSecond, before.throughputPerSecond),
        throughputRatio: ratio(
          row.throughputPerSecond,
          mean((step) => step.throughputPerSecond),
        ),
        p50Ratio: ratio(
          row.latencyMs.p50,
          mean((step) => step.latencyMs.p50),
        ),
        cpuPerRequestRatio: ratio(stackCpuMsPerRequest(row), mean(stackCpuMsPerRequest)),
      },
    ];
  });
}

/** A scenario's rounds at one concurrency, summed up: the median of each ratio and its range. */
export interface PlainClientSummary {
  scenario: CallbackScenarioId;
  concurrency: number;
  rounds: number;
  throughputRatios: number[];
  p50Ratios: number[];
  cpuPerRequestRatios: number[];
  baselineDrifts: number[];
  medianThroughputRatio: number;
  medianP50Ratio: number;
  medianCpuPerRequestRatio: number;
}

export function summarizeAgainstPlainClient(rows: readonly PlainClientRatioRow[]): PlainClientSummary[] {
  const groups = new Map<string, PlainClientRatioRow[]>();
  for (const row of rows) groups.set(`${row.scenario}/${row.concurrency}`, [...(groups.get(`${row.scenario}/${row.concurrency}`) ?? []), row]);
  return [...groups.values()].map((group) => {
    const [first] = group as [PlainClientRatioRow, ...PlainClientRatioRow[]];
    const throughputRatios = group.map((row) => row.throughputRatio);
    const p50Ratios = group.map((row) => row.p50Ratio);
    const cpuPerRequestRatios = group.map((row) => row.cpuPerRequestRatio);
    return {
      scenario: first.scenario,
      concurrency: first.concurrency,
      rounds: group.length,
      throughputRatios,
      p50Ratios,
      cpuPerRequestRatios,
      baselineDrifts: group.map((row) => row.baselineDrift),
      medianThroughputRatio: median(throughputRatios),
      medianP50Ratio: median(p50Ratios),
      medianCpuPerRequestRatio: median(cpuPerRequestRatios),
    };
  });
}
