import type { JsonValue } from './json';
import type { UpstreamAttempt, UpstreamRequest } from './upstream';

/** A read of one order, to settle a write whose attempts all went unanswered. */
export interface OrderReadRequest {
  orderId: string;
  timeoutMs: number;
}

/** What `GET /v1/orders/{id}` answered, or why it could not be read. */
export type OrderRead = { kind: 'read'; status: number; body: JsonValue } | { kind: 'unreadable'; reason: string };

/**
 * The activities the payment workflow may call. Workflow code proxies this interface with
 * `import type`; the worker implements it as a Nest service.
 */
export interface PaymentActivities {
  /** Sends one attempt of an upstream write and classifies its answer. Never retries by itself. */
  sendUpstreamRequest(request: UpstreamRequest): Promise<UpstreamAttempt>;
  /** Reads the order; only ever a GET of a valid order id, never a write. */
  readUpstreamOrder(request: OrderReadRequest): Promise<OrderRead>;
}
