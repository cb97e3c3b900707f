import type { JsonValue } from './json';
import type { UpstreamAttempt, UpstreamRequest } from './upstream';

/** A read of one order: to settle a write whose attempts all went unanswered, or to follow it. */
export interface OrderReadRequest {
  orderId: string;
  timeoutMs: number;
}

/** A read of one Wallet Connect advanced payment, to follow it. */
export interface AdvancedPaymentReadRequest {
  advancedPaymentId: string;
  timeoutMs: number;
}

/** What a GET of the resource answered, or why it could not be read. */
export type UpstreamRead = { kind: 'read'; status: number; body: JsonValue } | { kind: 'unreadable'; reason: string };

/**
 * The activities the payment workflow may call. Workflow code proxies this interface with
 * `import type`; the worker implements it as a Nest service.
 */
export interface PaymentActivities {
  /** Sends one attempt of an upstream write and classifies its answer. Never retries by itself. */
  sendUpstreamRequest(request: UpstreamRequest): Promise<UpstreamAttempt>;
  /** Reads the order; only ever a GET of a valid order id, never a write. */
  readUpstreamOrder(request: OrderReadRequest): Promise<UpstreamRead>;
  /** Reads the advanced payment (`GET /v1/advanced_payments/{id}`); only ever a GET of a numeric id, never a write. */
  readUpstreamAdvancedPayment(request: AdvancedPaymentReadRequest): Promise<UpstreamRead>;
}
