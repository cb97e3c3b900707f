import type { RetrySchedule } from '../../contracts/src/payment-write';

/**
 * Delay before attempt `failedAttempts + 1`: exponential from the initial interval, capped at the
 * maximum, with "equal jitter" (half fixed, half random) so duplicate runs do not retry in step.
 * A Retry-After from the upstream is a floor: the upstream knows when it can take the call again.
 *
 * `random` is injected so the workflow can pass its deterministic, replay-safe Math.random.
 */
export function retryDelayMs(
  schedule: Pick<RetrySchedule, 'initialIntervalMs' | 'maximumIntervalMs'>,
  failedAttempts: number,
  retryAfterMs: number | null,
  random: () => number,
): number {
  const exponent = Math.max(0, failedAttempts - 1);
  const ceiling = Math.min(schedule.maximumIntervalMs, schedule.initialIntervalMs * 2 ** exponent);
  const jittered = Math.round(ceiling / 2 + random() * (ceiling / 2));
  return Math.max(jittered, retryAfterMs ?? 0);
}
