import type { JsonObject } from '@app/contracts/json';
import { rfc3339Nanos } from '../clock';
import { formatCents } from '../money';
import type { Order, OrderPayment, OrderRefund } from './order-model';

/** The order as the Orders API answers it (create, get, process, capture, cancel, refund). */
export function orderView(order: Order): JsonObject {
  const view: JsonObject = {
    id: order.id,
    type: 'online',
    processing_mode: order.processingMode,
    capture_mode: order.captureMode,
    total_amount: formatCents(order.totalCents),
    status: order.status,
    status_detail: order.statusDetail,
    country_code: 'BRA',
    user_id: order.userId,
    created_date: rfc3339Nanos(order.createdAtMs),
    last_updated_date: rfc3339Nanos(order.updatedAtMs),
  };
  if (order.externalReference !== undefined) view.external_reference = order.externalReference;
  if (order.description !== undefined) view.description = order.description;
  if (order.items !== undefined) view.items = order.items;
  if (order.expirationTime !== undefined) view.expiration_time = order.expirationTime;
  if (order.payments.length > 0) {
    const transactions: JsonObject = { payments: order.payments.map(paymentView) };
    if (order.refunds.length > 0) transactions.refunds = order.refunds.map(refundView);
    view.transactions = transactions;
  }
  return view;
}

function paymentView(payment: OrderPayment): JsonObject {
  const view: JsonObject = {
    id: payment.id,
    reference_id: payment.referenceId,
    amount: formatCents(payment.amountCents),
    status: payment.status,
    status_detail: payment.statusDetail,
    payment_method: { ...payment.paymentMethod },
  };
  if (payment.refundedCents > 0) view.refunded_amount = formatCents(payment.refundedCents);
  return view;
}

function refundView(refund: OrderRefund): JsonObject {
  return {
    id: refund.id,
    transaction_id: refund.transactionId,
    reference_id: refund.referenceId,
    amount: formatCents(refund.amountCents),
    status: 'processed',
  };
}
