import { Inject, Injectable } from '@nestjs/common';
import { isRetryableAnswer, type JsonValue, type UpstreamAttempt, type UpstreamRequest } from '@app/contracts';
import { WORKER_CONFIG, type WorkerConfig } from '../worker-config';
import { parseRetryAfterMs } from './retry-after';

/** Sends one attempt of a write to Mercado Pago (or the simulator) and classifies what came back. */
@Injectable()
export class UpstreamHttpClient {
  constructor(@Inject(WORKER_CONFIG) private readonly config: WorkerConfig) {}

  async send(request: UpstreamRequest, cancellation?: AbortSignal): Promise<UpstreamAttempt> {
    const timeout = AbortSignal.timeout(request.timeoutMs);
    const signal = cancellation ? AbortSignal.any([timeout, cancellation]) : timeout;
    let response: Response;
    let text: string;
    try {
      response = await fetch(`${this.config.UPSTREAM_BASE_URL}${request.path}`, {
        method: request.method,
        headers: this.headers(request),
        body: request.body === undefined ? undefined : JSON.stringify(request.body),
        // A redirected payment write would be re-sent elsewhere (or turned into a GET): never follow.
        redirect: 'manual',
        signal,
      });
      text = await response.text();
    } catch (error) {
      const reason = timeout.aborted ? `timeout after ${request.timeoutMs} ms` : describeNetworkError(error);
      return { kind: 'retryable', status: null, reason, retryAfterMs: null };
    }

    const body = parseJson(text);
    if (isRetryableAnswer(response.status, body)) {
      return {
        kind: 'retryable',
        status: response.status,
        reason: `HTTP ${response.status}`,
        retryAfterMs: parseRetryAfterMs(response.headers.get('retry-after')),
      };
    }
    if (body === undefined) {
      // A decision we cannot read is no decision: retrying with the same key replays it readably.
      return { kind: 'retryable', status: response.status, reason: `HTTP ${response.status} with a non-JSON body`, retryAfterMs: null };
    }
    return { kind: 'final', status: response.status, body };
  }

  private headers(request: UpstreamRequest): Record<string, string> {
    const headers: Record<string, string> = {
      authorization: `Bearer ${this.config.UPSTREAM_ACCESS_TOKEN}`,
      'x-idempotency-key': request.idempotencyKey,
      accept: 'application/json',
    };
    if (request.body !== undefined) headers['content-type'] = 'application/json';
    return headers;
  }
}

function parseJson(text: string): JsonValue | undefined {
  try {
    return JSON.parse(text) as JsonValue;
  } catch {
    return undefined;
  }
}

/** fetch hides the socket error under `cause`; operators need its code (ECONNREFUSED, ECONNRESET, …). */
function describeNetworkError(error: unknown): string {
  if (!(error instanceof Error)) return 'network error';
  const cause: unknown = error.cause;
  if (cause instanceof Error && 'code' in cause && typeof cause.code === 'string') return `network error: ${cause.code}`;
  return `network error: ${error.message}`;
}
