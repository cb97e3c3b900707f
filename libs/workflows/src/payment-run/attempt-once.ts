import { ActivityFailure, ApplicationFailure, TimeoutFailure } from '@temporalio/workflow';
import type { PaymentActivities } from '../../../contracts/src/activities';
import type { AttemptHandOver } from '../../../contracts/src/callbacks';
import type { PaymentWriteInput } from '../../../contracts/src/payment-write';
import { FORBIDDEN_UPSTREAM_REQUEST } from '../../../contracts/src/failure-types';
import type { UpstreamAttempt } from '../../../contracts/src/upstream';

/**
 * A lost attempt (worker crash, activity timeout) is just another retryable failure. An attempt
 * the worker refused to send (not a route the API could have asked for) fails the run for good.
 */
export async function attemptOnce(
  sendUpstreamRequest: PaymentActivities['sendUpstreamRequest'],
  input: PaymentWriteInput,
  handOver: AttemptHandOver | undefined,
): Promise<UpstreamAttempt> {
  try {
    return await sendUpstreamRequest({ ...input.request, operation: input.operation, timeoutMs: input.attemptTimeoutMs, ...(handOver === undefined ? {} : { handOver }) });
  } catch (error) {
    // A local activity's failure reaches the workflow unwrapped (no ActivityFailure around it).
    if (!(error instanceof ActivityFailure || error instanceof ApplicationFailure || error instanceof TimeoutFailure)) throw error;
    const failure = error instanceof ActivityFailure ? error.cause : error;
    if (failure instanceof ApplicationFailure && failure.type === FORBIDDEN_UPSTREAM_REQUEST) {
      throw ApplicationFailure.create({ type: FORBIDDEN_UPSTREAM_REQUEST, message: failure.message, nonRetryable: true });
    }
    const cause = error.cause?.message ?? error.message;
    return { kind: 'retryable', status: null, reason: `attempt lost: ${cause}`, retryAfterMs: null };
  }
}
