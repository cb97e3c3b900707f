import { sleep } from '@temporalio/workflow';
import type { PausedUpstreamAttempt } from '../../../contracts/src/upstream';
import type { PaymentRunState } from '../../../contracts/src/payment-write';
import { retryDelayMs } from '../retry-delay';
import type { RunStepChange } from './steps-revision';

/**
 * Runs whose attempt found the merchant paused wait (docs/operations.md, "Pausing a merchant's
 * upstream attempts"), marked so; code without it took a paused attempt for a retryable failure.
 */
export const UPSTREAM_PAUSE: RunStepChange = { patchId: 'upstream-pause', revision: 1 };

/**
 * How often a paused run looks again: 1 s, doubling to 10 s, jittered (retryDelayMs), so a long
 * incident costs a run a few events a minute and a resume wakes the paused runs spread over seconds
 * rather than all at once.
 */
const PAUSE_LOOKS = { initialIntervalMs: 1_000, maximumIntervalMs: 10_000 };

/**
 * An attempt found the merchant paused, and sent nothing: the run waits one look's interval, its
 * next attempt finding out whether the pause still holds (the workers keep the pause state, so that
 * costs no call). Returns how long it waited, for the caller to add to its deadline: paused time
 * does not count against the retry budget.
 */
export async function waitWhilePaused(state: PaymentRunState, attempt: PausedUpstreamAttempt, looks: number): Promise<number> {
  const delay = retryDelayMs(PAUSE_LOOKS, looks, null, Math.random);
  state.phase = 'paused';
  state.lastFailureReason = attempt.reason;
  state.nextAttemptAt = new Date(Date.now() + delay).toISOString();
  await sleep(delay);
  return delay;
}
