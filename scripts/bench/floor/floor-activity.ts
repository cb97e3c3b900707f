import type { FloorAnswer, FloorPayment } from './floor-contract';

export interface FloorActivities {
  processOrder(payment: FloorPayment): Promise<FloorAnswer>;
}

/** Where the activity sends the process call: the bench's simulator, with the merchant token. */
export interface UpstreamAccess {
  baseUrl: string;
  accessToken: string;
}

/** Statuses that mean "not decided, ask again", as the orchestrator treats them. */
function isRetryable(status: number): boolean {
  return status >= 500 || status === 423 || status === 429;
}

/**
 * The same `POST /v1/orders/{id}/process` the orchestrator's worker sends. A retryable status
 * throws, so Temporal's retry policy asks again; any other answer is the payment's outcome.
 */
export function floorActivities(upstream: UpstreamAccess): FloorActivities {
  return {
    async processOrder(payment) {
      const response = await fetch(`${upstream.baseUrl}/v1/orders/${encodeURIComponent(payment.orderId)}/process`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${upstream.accessToken}`, 'X-Idempotency-Key': payment.idempotencyKey },
        signal: AbortSignal.timeout(10_000),
      });
      const body = await response.text();
      if (isRetryable(response.status)) throw new Error(`upstream answered ${response.status}`);
      return { status: response.status, body };
    },
  };
}
