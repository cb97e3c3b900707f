import { approved, declined, type CardOutcome } from '../card-tokens/card-outcomes';
import type { OrdersErrorCode } from '../errors/orders-errors';
import { newRefundId, newReferenceId } from '../ids';
import { formatCents } from '../money';
import type { Order, OrderPayment, OrderRefund } from './order-model';
import type { SettlementOutcome } from '../settlements/pending-settlements';
import type { RefundRequest } from './order-requests';

/**
 * The order state machine as pure functions: each takes an order and returns the next one, or the
 * Orders error that forbids the move. Nothing here stores anything.
 */
export type Transition = { kind: 'moved'; order: Order } | { kind: 'refused'; code: OrdersErrorCode; details?: string[] };

const refused = (code: OrdersErrorCode, details?: string[]): Transition => ({ kind: 'refused', code, details });

/** The fields every change sets: when it happened, and the next version. */
function changedAt(order: Order, nowMs: number): Pick<Order, 'updatedAtMs' | 'version'> {
  return { updatedAtMs: nowMs, version: order.version + 1 };
}

/** Charges every payment with its card's outcome and derives the order's status from theirs. */
export function chargePayments(order: Order, outcomeOf: (payment: OrderPayment) => CardOutcome, nowMs: number): Order {
  const outcomes = order.payments.map((payment) => ({ payment, outcome: outcomeOf(payment) }));
  const payments = outcomes.map(({ payment, outcome }): OrderPayment => {
    switch (outcome.kind) {
      case 'approved':
        return order.captureMode === 'manual'
          ? { ...payment, status: 'action_required', statusDetail: 'waiting_capture' }
          : { ...payment, status: 'processed', statusDetail: 'accredited' };
      case 'pending':
        return { ...payment, status: 'processing', statusDetail: 'pending_review_manual' };
      case 'challenge':
        return { ...payment, status: 'action_required', statusDetail: 'waiting_payment' };
      case 'declined':
        return { ...payment, status: 'failed', statusDetail: outcome.detail };
    }
  });
  const kinds = new Set(outcomes.map(({ outcome }) => outcome.kind));
  const next = { ...order, payments, ...changedAt(order, nowMs) };
  if (kinds.has('declined')) return { ...next, status: 'failed', statusDetail: 'failed' };
  if (kinds.has('pending')) return { ...next, status: 'processing', statusDetail: 'in_process' };
  if (kinds.has('challenge')) return { ...next, status: 'action_required', statusDetail: 'waiting_payment' };
  return order.captureMode === 'manual' ? { ...next, status: 'action_required', statusDetail: 'waiting_capture' } : { ...next, status: 'processed', statusDetail: 'accredited' };
}

/** `POST /v1/orders/{id}/process`: only manual orders, only once, only with a payment. */
export function processOrder(order: Order, outcomeOf: (payment: OrderPayment) => CardOutcome, nowMs: number): Transition {
  if (order.processingMode !== 'manual') return refused('invalid_order_mode_for_operation');
  // Processing a finished order again is undocumented; 409 operation_not_supported is our guess.
  if (order.status !== 'created') return refused('operation_not_supported', [`order status is ${order.status}`]);
  if (order.payments.length === 0) return refused('order_builder_without_transactions');
  return { kind: 'moved', order: chargePayments(order, outcomeOf, nowMs) };
}

export function captureOrder(order: Order, nowMs: number): Transition {
  if (order.status !== 'action_required' || order.statusDetail !== 'waiting_capture') {
    return refused('cannot_capture_order', [`order status is ${order.status}/${order.statusDetail}`]);
  }
  return {
    kind: 'moved',
    order: {
      ...order,
      status: 'processed',
      statusDetail: 'accredited',
      ...changedAt(order, nowMs),
      payments: order.payments.map((payment) => ({ ...payment, status: 'processed', statusDetail: 'accredited' })),
    },
  };
}

export function cancelOrder(order: Order, nowMs: number): Transition {
  if (order.status === 'canceled') return refused('order_already_canceled');
  if (order.status !== 'created' && order.status !== 'action_required') {
    return refused('cannot_cancel_order', [`order status is ${order.status}/${order.statusDetail}`]);
  }
  return {
    kind: 'moved',
    order: {
      ...order,
      status: 'canceled',
      statusDetail: 'canceled',
      ...changedAt(order, nowMs),
      payments: order.payments.map((payment) => ({ ...payment, status: 'canceled', statusDetail: 'canceled_transaction' })),
    },
  };
}

/**
 * Refunds from `processed` only. A full refund ends in processed/refunded (one of two documented
 * spellings; the other is refunded/refunded), a partial one in processed/partially_refunded.
 */
export function refundOrder(order: Order, request: RefundRequest, nowMs: number): Transition {
  if (order.status === 'processed' && order.statusDetail === 'refunded') return refused('order_already_refunded');
  if (order.status !== 'processed') return refused('cannot_refund_order', [`order status is ${order.status}/${order.statusDetail}`]);

  const amounts = requestedAmounts(order, request);
  const unknown = [...amounts.keys()].filter((id) => !order.payments.some((payment) => payment.id === id));
  if (unknown.length > 0)
    return refused(
      'transaction_not_found',
      unknown.map((id) => `${id}: not a payment of ${order.id}`),
    );
  const excessive = order.payments.filter((payment) => (amounts.get(payment.id) ?? 0) > refundable(payment));
  if (excessive.length > 0) {
    return refused(
      'refund_amount_exceeds',
      excessive.map((payment) => `${payment.id}: requested ${formatCents(amounts.get(payment.id) ?? 0)}, refundable ${formatCents(refundable(payment))}`),
    );
  }

  const refunds: OrderRefund[] = [];
  const payments = order.payments.map((payment): OrderPayment => {
    const amountCents = amounts.get(payment.id) ?? 0;
    if (amountCents === 0) return payment;
    refunds.push({ id: newRefundId(), transactionId: payment.id, referenceId: newReferenceId(), amountCents });
    const refundedCents = payment.refundedCents + amountCents;
    return refundedCents === payment.amountCents
      ? { ...payment, refundedCents, status: 'refunded', statusDetail: 'refunded' }
      : { ...payment, refundedCents, status: 'processed', statusDetail: 'partially_refunded' };
  });
  const fullyRefunded = payments.every((payment) => payment.refundedCents === payment.amountCents);
  return {
    kind: 'moved',
    order: {
      ...order,
      statusDetail: fullyRefunded ? 'refunded' : 'partially_refunded',
      ...changedAt(order, nowMs),
      payments,
      refunds: [...order.refunds, ...refunds],
    },
  };
}

/**
 * An order waiting for something outside the API: a CONT payment under review
 * (`processing/in_process`) or a CHAL payment waiting for its challenge
 * (`action_required/waiting_payment`).
 */
export function isAwaitingSettlement(order: Order): boolean {
  return order.status === 'processing' || (order.status === 'action_required' && order.statusDetail === 'waiting_payment');
}

/**
 * Ends the wait as if the card had answered now: approved becomes processed/accredited (or
 * waiting_capture with manual capture), declined becomes failed/failed with the payment
 * rejected_by_issuer. undefined when the order is not waiting.
 */
export function settleOrder(order: Order, outcome: SettlementOutcome, nowMs: number): Order | undefined {
  if (!isAwaitingSettlement(order)) return undefined;
  const cardAnswer = outcome === 'approved' ? approved : declined('rejected_by_issuer');
  return chargePayments(order, () => cardAnswer, nowMs);
}

function refundable(payment: OrderPayment): number {
  return payment.amountCents - payment.refundedCents;
}

/** Cents to refund per payment id; repeated ids in one request add up. */
function requestedAmounts(order: Order, request: RefundRequest): Map<string, number> {
  const amounts = new Map<string, number>();
  if (request.kind === 'full') {
    for (const payment of order.payments) amounts.set(payment.id, refundable(payment));
    return amounts;
  }
  for (const transaction of request.transactions) {
    amounts.set(transaction.id, (amounts.get(transaction.id) ?? 0) + transaction.amountCents);
  }
  return amounts;
}

/** `PAY…: rejected_by_issuer` for each failed payment, the details of a 402. */
export function failedPaymentDetails(order: Order): string[] {
  return order.payments.filter((payment) => payment.status === 'failed').map((payment) => `${payment.id}: ${payment.statusDetail}`);
}
