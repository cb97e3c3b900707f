import type { UpstreamRead } from '@app/contracts';
import type { UpstreamAccount } from '@app/payment-worker';

/**
 * The one thing order reads need of the upstream: `GET /v1/orders/{id}` with a merchant's token.
 * The payment worker's HTTP client provides it (WorkerPartsModule); readers depend on this alone.
 */
export interface UpstreamReads {
  readOrder(orderId: string, merchant: UpstreamAccount, timeoutMs: number): Promise<UpstreamRead>;
}

export const UPSTREAM_READS = Symbol('UPSTREAM_READS');
