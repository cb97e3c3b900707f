import { Agent as HttpAgent, request as httpRequest, type ClientRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { CallbackEvent } from '@app/contracts';
import type { ClientCallback } from '@app/config';
import { callbackSignature } from './callback-signature';
import { describeNetworkError } from './network-error';

/** What one POST of a callback came to: the receiver's status, or why none came back. */
export type CallbackAnswer = { kind: 'answered'; status: number } | { kind: 'unanswered'; reason: string };

/**
 * The process's connections to the clients' receivers, kept alive between deliveries. node:http
 * rather than fetch: a delivery cost the callback worker's main thread about half as much CPU
 * (docs/architecture.md, "Callbacks apart from payments").
 */
const agents = { http: new HttpAgent({ keepAlive: true }), https: new HttpsAgent({ keepAlive: true }) };

/**
 * POSTs `event` to the client's URL, signed with the client's secret at this moment: each attempt
 * has a fresh timestamp, so a receiver's freshness check holds however long the retries last. A
 * redirect is an answer, not a delivery (node:http follows none): following it would send the
 * event where the client did not configure it.
 */
export async function postCallback(callback: ClientCallback, event: CallbackEvent, timeoutMs: number, cancellation?: AbortSignal): Promise<CallbackAnswer> {
  const body = JSON.stringify(event);
  const timestampSeconds = Math.floor(Date.now() / 1000);
  const timeout = AbortSignal.timeout(timeoutMs);
  const secure = callback.url.protocol === 'https:';
  const options: RequestOptions = {
    method: 'POST',
    agent: secure ? agents.https : agents.http,
    headers: {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(body),
      'x-orchestrator-event-id': event.id,
      'x-orchestrator-signature': callbackSignature(callback.secret, timestampSeconds, body),
    },
    signal: cancellation ? AbortSignal.any([timeout, cancellation]) : timeout,
  };
  try {
    const status = await new Promise<number>((resolve, reject) => {
      const answered = (response: IncomingMessage): void => {
        // The receiver's body says nothing we act on and is never logged: read and dropped, which
        // frees the connection; one cut short (the timeout, a reset) changes nothing once the status came.
        response.on('error', () => undefined).resume();
        resolve(response.statusCode!);
      };
      const request: ClientRequest = secure ? httpsRequest(callback.url, options, answered) : httpRequest(callback.url, options, answered);
      request.on('error', reject).end(body);
    });
    return { kind: 'answered', status };
  } catch (error) {
    const reason = timeout.aborted ? `timeout after ${timeoutMs} ms` : cancellation?.aborted ? 'cancelled' : describeNetworkError(error);
    return { kind: 'unanswered', reason };
  }
}
