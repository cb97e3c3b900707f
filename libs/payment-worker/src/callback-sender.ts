import type { CallbackEvent } from '@app/contracts';
import type { ClientCallback } from '@app/config';
import { callbackSignature } from './callback-signature';
import { describeNetworkError } from './network-error';

/** What one POST of a callback came to: the receiver's status, or why none came back. */
export type CallbackAnswer = { kind: 'answered'; status: number } | { kind: 'unanswered'; reason: string };

/**
 * POSTs `event` to the client's URL, signed with the client's secret at this moment: each attempt
 * has a fresh timestamp, so a receiver's freshness check holds however long the retries last. A
 * redirect is an answer, not a delivery: following it would send the event where the client did
 * not configure it.
 */
export async function postCallback(callback: ClientCallback, event: CallbackEvent, timeoutMs: number, cancellation?: AbortSignal): Promise<CallbackAnswer> {
  const body = JSON.stringify(event);
  const timestampSeconds = Math.floor(Date.now() / 1000);
  const timeout = AbortSignal.timeout(timeoutMs);
  try {
    const response = await fetch(callback.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-orchestrator-event-id': event.id,
        'x-orchestrator-signature': callbackSignature(callback.secret, timestampSeconds, body),
      },
      body,
      redirect: 'manual',
      signal: cancellation ? AbortSignal.any([timeout, cancellation]) : timeout,
    });
    // The receiver's body says nothing we act on and is never logged; cancelling it frees the connection.
    await response.body?.cancel();
    return { kind: 'answered', status: response.status };
  } catch (error) {
    const reason = timeout.aborted ? `timeout after ${timeoutMs} ms` : cancellation?.aborted ? 'cancelled' : describeNetworkError(error);
    return { kind: 'unanswered', reason };
  }
}
