import { isFinalAnswer, labelAnswer, labelConnectionError, orderIdIn, type DocumentedAnswer } from './answers';

/** One idempotency key's story in a drill, as its checkout lived it. */
export interface KeyRecord {
  key: string;
  orderId: string;
  /** The answer the key's test card decides (APRO: 200, OTHE: 402). */
  expected: DocumentedAnswer;
  requests: number;
  /** Answers by label (see answers.ts), connection errors included. */
  answers: Record<string, number>;
  /** The final answer, once one came; null if the key's deadline passed first. */
  final: { label: string; status: number; body: string; orderId: string | null } | null;
}

export interface CheckoutTarget {
  /** Every API instance; each request goes to one of them at random, as a load balancer spreads requests. */
  apiUrls: readonly string[];
  clientToken: string;
}

/** Retry delays of a checkout that got no answer or a 5xx: exponential from 200 ms, capped at 2 s, with jitter. */
const FIRST_RETRY_MS = 200;
const LONGEST_RETRY_MS = 2_000;

/**
 * Pays for an order the way a careful checkout does: one key, the same request every time, sent
 * again after a network error, a 423 (after its Retry-After) or a 5xx, until a final answer or
 * the deadline. Never throws: everything that happened is in the record.
 */
export async function payOrder(target: CheckoutTarget, record: KeyRecord, deadline: number, requestTimeoutMs: number): Promise<KeyRecord> {
  for (let attempt = 0; Date.now() < deadline; attempt += 1) {
    record.requests += 1;
    let delayMs = backoffMs(attempt);
    try {
      const response = await sendProcess(target, record, Math.min(requestTimeoutMs, Math.max(1, deadline - Date.now())));
      const body = await response.text();
      const label = labelAnswer(response.status, body);
      count(record, label);
      if (isFinalAnswer(label)) {
        record.final = { label, status: response.status, body, orderId: orderIdIn(body) };
        return record;
      }
      const retryAfterSeconds = Number(response.headers.get('retry-after'));
      if (response.status === 423 && retryAfterSeconds > 0) delayMs = retryAfterSeconds * 1000;
    } catch (error) {
      count(record, labelConnectionError(error));
    }
    await new Promise((resolve) => setTimeout(resolve, Math.min(delayMs, Math.max(0, deadline - Date.now()))));
  }
  return record;
}

/** The same request as the checkout sent first: used again after the drill to check replays. */
export function sendProcess(target: CheckoutTarget, record: Pick<KeyRecord, 'key' | 'orderId'>, timeoutMs: number): Promise<Response> {
  const apiUrl = target.apiUrls[Math.floor(Math.random() * target.apiUrls.length)];
  return fetch(`${apiUrl}/v1/orders/${record.orderId}/process`, {
    method: 'POST',
    headers: { authorization: `Bearer ${target.clientToken}`, 'x-idempotency-key': record.key },
    signal: AbortSignal.timeout(timeoutMs),
  });
}

function backoffMs(attempt: number): number {
  const step = Math.min(LONGEST_RETRY_MS, FIRST_RETRY_MS * 2 ** attempt);
  return step / 2 + (Math.random() * step) / 2;
}

function count(record: KeyRecord, label: string): void {
  record.answers[label] = (record.answers[label] ?? 0) + 1;
}
