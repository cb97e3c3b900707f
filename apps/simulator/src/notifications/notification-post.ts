import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

/** A notification ready to go: every copy and retry sends exactly these bytes. */
export interface SignedNotification {
  url: URL;
  headers: Readonly<Record<string, string>>;
  body: string;
}

export type PostOutcome = { kind: 'answered'; status: number } | { kind: 'unanswered'; error: string };

/**
 * One POST of a notification. Never rejects: a timeout, a refused connection or an abort is an
 * `unanswered` outcome. A fresh connection per request (no agent), whose socket is unref'd, so
 * a slow receiver never keeps the process alive.
 */
export function postNotification(notification: SignedNotification, timeoutMs: number, signal: AbortSignal): Promise<PostOutcome> {
  return new Promise((resolve) => {
    const send = notification.url.protocol === 'https:' ? httpsRequest : httpRequest;
    const request = send(notification.url, {
      method: 'POST',
      agent: false,
      headers: { ...notification.headers, 'content-length': String(Buffer.byteLength(notification.body)) },
      timeout: timeoutMs,
      signal,
    });
    request.on('socket', (socket) => socket.unref());
    request.on('timeout', () => request.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    request.on('error', (error) => resolve({ kind: 'unanswered', error: error.message }));
    request.on('response', (response) => {
      // The body is of no interest (Mercado Pago only looks at the status), but it must be read for the socket to close.
      response.resume();
      response.on('end', () => resolve({ kind: 'answered', status: response.statusCode ?? 0 }));
      response.on('error', (error) => resolve({ kind: 'unanswered', error: error.message }));
    });
    request.end(notification.body);
  });
}
