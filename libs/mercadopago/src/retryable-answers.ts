import type { JsonValue } from '../../contracts/src/json';

/**
 * 2xx and most 4xx are the upstream's decision about the request. The rest (3xx, 408, 423, 425,
 * 429, 5xx) say nothing about the payment and are retried.
 */
const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([408, 423, 425, 429]);

export function isRetryableStatus(status: number): boolean {
  // A redirect (not followed) or an informational status is no decision either.
  return status < 200 || (status >= 300 && status < 400) || status >= 500 || RETRYABLE_STATUSES.has(status);
}

/** Wallet Connect's cause code for "the process has not been completed yet": its 409 is not final. */
const WALLET_CONNECT_STILL_PROCESSING = '401001';

/**
 * Whether an upstream answer says nothing definitive about the request. Besides the statuses
 * above, Wallet Connect answers a duplicate of a call still in flight with 409 and cause 401001
 * (Orders uses 423 for that): retrying later gets the real outcome.
 */
export function isRetryableAnswer(status: number, body: JsonValue | undefined): boolean {
  if (isRetryableStatus(status)) return true;
  if (status !== 409 || typeof body !== 'object' || body === null || Array.isArray(body)) return false;
  const causes = body.cause;
  return Array.isArray(causes) && causes.some((cause) => typeof cause === 'object' && cause !== null && !Array.isArray(cause) && cause.code === WALLET_CONNECT_STILL_PROCESSING);
}
