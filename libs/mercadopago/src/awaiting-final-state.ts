import type { FollowedResource } from '../../contracts/src/follow-up';
import { isJsonObject, type JsonObject } from '../../contracts/src/json';
import type { PaymentOperation, PaymentWriteResult } from '../../contracts/src/payment-operation';

/**
 * Order statuses a follow-up waits on (Orders "Order status" pages): the payment is being reviewed
 * (`processing`) or waits on the buyer (`action_required`: 3-D Secure, a ticket or a transfer). One
 * exception: `action_required/waiting_capture` waits on the merchant's own capture, which no
 * notification will bring, so it is not followed.
 */
export function isOrderAwaitingFinalState(status: string, statusDetail: string | null): boolean {
  return status === 'processing' || (status === 'action_required' && statusDetail !== 'waiting_capture');
}

/**
 * Payment statuses a follow-up waits on (the "Payment status" list of Mercado Pago's payments, which
 * Wallet Connect's advanced payments share): `pending` (not paid yet) and `in_process` (under review).
 * `authorized` waits on the merchant's capture, like an order's `waiting_capture`: not followed.
 */
export function isAdvancedPaymentAwaitingFinalState(status: string): boolean {
  return status === 'pending' || status === 'in_process';
}

/** Order operations whose success answers with the order. */
const ANSWERS_WITH_ORDER: ReadonlySet<string> = new Set<PaymentOperation>(['order.create', 'order.process', 'order.capture', 'order.cancel', 'order.refund']);

/** A resource a run's answer leaves waiting on its final state, with the status it was answered in. */
export type AwaitingResource = FollowedResource & { status: string; statusDetail: string | null };

/** The resource a run's answer leaves waiting on its final state, or null when the answer is final. */
export function awaitingFinalState(operation: string, result: PaymentWriteResult): AwaitingResource | null {
  if (result.status < 200 || result.status >= 300 || !isJsonObject(result.body)) return null;
  if (ANSWERS_WITH_ORDER.has(operation)) return orderAwaiting(result.body);
  return operation === 'advanced_payment.create' ? advancedPaymentAwaiting(result.body) : null;
}

function orderAwaiting(order: JsonObject): AwaitingResource | null {
  const { id, status, status_detail: statusDetail } = order;
  if (typeof id !== 'string' || typeof status !== 'string') return null;
  const detail = typeof statusDetail === 'string' ? statusDetail : null;
  return isOrderAwaitingFinalState(status, detail) ? { kind: 'order', orderId: id, status, statusDetail: detail } : null;
}

/** Wallet Connect ids are numbers (Wallet Connect "Create payment" reference); its one payment names the detail. */
function advancedPaymentAwaiting(advancedPayment: JsonObject): AwaitingResource | null {
  const { id, status } = advancedPayment;
  const { paymentId, statusDetail } = firstPaymentOf(advancedPayment);
  if (typeof id !== 'number' || !Number.isSafeInteger(id) || typeof status !== 'string' || paymentId === null) return null;
  return isAdvancedPaymentAwaitingFinalState(status) ? { kind: 'advanced_payment', advancedPaymentId: String(id), paymentId, status, statusDetail } : null;
}

/** The id and status detail of an advanced payment's first payment, the one its notifications name. */
export function firstPaymentOf(advancedPayment: JsonObject): { paymentId: string | null; statusDetail: string | null } {
  const payments = advancedPayment.payments;
  const first = Array.isArray(payments) ? payments[0] : undefined;
  if (!isJsonObject(first)) return { paymentId: null, statusDetail: null };
  const { id, status_detail: statusDetail } = first;
  return {
    paymentId: typeof id === 'number' && Number.isSafeInteger(id) ? String(id) : null,
    statusDetail: typeof statusDetail === 'string' ? statusDetail : null,
  };
}
