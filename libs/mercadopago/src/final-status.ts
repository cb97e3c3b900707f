import type { AnsweredOutcome, FollowUpOutcome } from '../../contracts/src/search-attributes';

/**
 * The outcome of a run's final answer, by its HTTP status: Mercado Pago answers a declined payment
 * with 402 (mercadopago.md, "402, declined transaction"); any other final non-2xx refused the request.
 */
export function outcomeOfStatus(status: number): AnsweredOutcome {
  if (status < 300) return 'succeeded';
  if (status === 402) return 'declined';
  return 'rejected';
}

const FINAL_ORDER_OUTCOMES: Readonly<Record<string, FollowUpOutcome>> = {
  processed: 'succeeded',
  refunded: 'succeeded',
  charged_back: 'succeeded',
  failed: 'declined',
  canceled: 'canceled',
  cancelled: 'canceled',
  expired: 'expired',
};

/**
 * The outcome of an order a follow-up no longer waits on, or null while it is still waiting
 * (Orders "Order status" pages). `action_required/waiting_capture` waits on the merchant alone.
 */
export function outcomeOfFinalOrderStatus(status: string, statusDetail: string | null): FollowUpOutcome | null {
  if (status === 'action_required') return statusDetail === 'waiting_capture' ? 'authorized' : null;
  return Object.hasOwn(FINAL_ORDER_OUTCOMES, status) ? FINAL_ORDER_OUTCOMES[status]! : null;
}

const FINAL_PAYMENT_OUTCOMES: Readonly<Record<string, FollowUpOutcome>> = {
  approved: 'succeeded',
  refunded: 'succeeded',
  charged_back: 'succeeded',
  in_mediation: 'succeeded',
  authorized: 'authorized',
  rejected: 'declined',
  cancelled: 'canceled',
};

/**
 * The outcome of a Wallet Connect advanced payment a follow-up no longer waits on, or null while it
 * is `pending` or `in_process` (the "Payment status" list Mercado Pago's payments share).
 */
export function outcomeOfFinalAdvancedPaymentStatus(status: string): FollowUpOutcome | null {
  return Object.hasOwn(FINAL_PAYMENT_OUTCOMES, status) ? FINAL_PAYMENT_OUTCOMES[status]! : null;
}
