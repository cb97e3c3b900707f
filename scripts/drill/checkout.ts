import { documentedAnswers, isFinalAnswer, labelAnswer, labelConnectionError, orderIdIn, type DocumentedAnswer, type DocumentedAnswers } from './answers';

/** What one idempotency key's requests got, as its sender lived it. */
export interface KeyAnswers {
  key: string;
  requests: number;
  /** Answers by label (see answers.ts), connection errors included. */
  answers: Record<string, number>;
  /** The final answer, once one came; null if the key's deadline passed first. */
  final: { label: string; status: number; body: string; orderId: string | null } | null;
}

/** One idempotency key's story in a drill, as its checkout lived it. */
export interface KeyRecord extends KeyAnswers {
  orderId: string;
  /** The answer the key's test card decides (APRO: 200, OTHE: 402). */
  expected: DocumentedAnswer;
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
export async function payOrder<Paid extends KeyRecord>(target: CheckoutTarget, record: Paid, deadline: number, requestTimeoutMs: number): Promise<Paid> {
  return sendUntilFinal(record, deadline, requestTimeoutMs, (timeoutMs) => sendProcess(target, record, timeoutMs));
}

/**
 * Sends a key's request (`send`, the same every time) as payOrder does, until an answer final in
 * `documented` (answers.ts) or the deadline. Never throws: everything that happened is in the record.
 */
export async function sendUntilFinal<Sent extends KeyAnswers>(
  record: Sent,
  deadline: number,
  requestTimeoutMs: number,
  send: (timeoutMs: number) => Promise<Response>,
  documented: DocumentedAnswers = documentedAnswers,
): Promise<Sent> {
  for (let attempt = 0; Date.now() < deadline; attempt += 1) {
    record.requests += 1;
    let delayMs = backoffMs(attempt);
    try {
      const response = await send(Math.min(requestTimeoutMs, Math.max(1, deadline - Date.now())));
      const body = await response.text();
      const label = labelAnswer(response.status, body, documented);
      count(record, label);
      if (isFinalAnswer(label, documented)) {
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

function count(record: KeyAnswers, label: string): void {
  record.answers[label] = (record.answers[label] ?? 0) + 1;
}
