export interface LatencySummary {
  p50: number;
  p90: number;
  p99: number;
  mean: number;
  max: number;
}

/**
 * Exact percentiles (nearest rank) of the recorded response times, in milliseconds. autocannon's
 * own histogram rounds to whole milliseconds, which would make a sub-millisecond floor read 0 and
 * its ratios meaningless.
 */
export function summarizeLatencies(latenciesMs: readonly number[]): LatencySummary {
  if (latenciesMs.length === 0) return { p50: 0, p90: 0, p99: 0, mean: 0, max: 0 };
  const sorted = [...latenciesMs].sort((a, b) => a - b);
  const percentile = (fraction: number) => sorted[Math.max(0, Math.ceil(fraction * sorted.length) - 1)] ?? 0;
  const total = sorted.reduce((sum, value) => sum + value, 0);
  return {
    p50: round(percentile(0.5)),
    p90: round(percentile(0.9)),
    p99: round(percentile(0.99)),
    mean: round(total / sorted.length),
    max: round(sorted[sorted.length - 1] ?? 0),
  };
}

/** Hundredths of a millisecond: finer than the measurement's noise, short enough to read. */
function round(value: number): number {
  return Math.round(value * 100) / 100;
}
