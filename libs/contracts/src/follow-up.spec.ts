import { followUpWorkflowId, notifiedFollowUpWorkflowId } from './follow-up';
import { checkIdempotencyKey } from './idempotency-key';
import { outcomeOfFinalAdvancedPaymentStatus, outcomeOfFinalOrderStatus } from './search-attributes';

const ORDER_ID = 'ORD01J49MMW3SSBK5PSV3DFR32959';

describe('follow-up workflow IDs', () => {
  it('are found from the notification alone, and no idempotency key can take them', () => {
    const order = followUpWorkflowId({ kind: 'order', orderId: ORDER_ID });
    const payment = followUpWorkflowId({ kind: 'advanced_payment', advancedPaymentId: '10458724', paymentId: '3870106238' });
    expect([order, payment]).toEqual([`order-follow-up ${ORDER_ID}`, 'payment-follow-up 3870106238']);
    expect([notifiedFollowUpWorkflowId('order', ORDER_ID), notifiedFollowUpWorkflowId('payment', '3870106238')]).toEqual([order, payment]);
    expect([checkIdempotencyKey(order), checkIdempotencyKey(payment)]).toEqual(['invalid', 'invalid']);
  });
});

describe('outcomeOfFinalAdvancedPaymentStatus', () => {
  it('names the outcome of each final payment status, and none of a waiting one', () => {
    expect(['approved', 'refunded', 'charged_back', 'in_mediation', 'authorized', 'rejected', 'cancelled'].map(outcomeOfFinalAdvancedPaymentStatus)).toEqual([
      'succeeded',
      'succeeded',
      'succeeded',
      'succeeded',
      'authorized',
      'declined',
      'canceled',
    ]);
    expect(['pending', 'in_process', 'constructor'].map(outcomeOfFinalAdvancedPaymentStatus)).toEqual([null, null, null]);
  });
});

describe('outcomeOfFinalOrderStatus', () => {
  it('names the outcome of each final order status, and none of a waiting one', () => {
    expect(['processed', 'refunded', 'charged_back', 'failed', 'canceled', 'cancelled', 'expired'].map((status) => outcomeOfFinalOrderStatus(status, null))).toEqual([
      'succeeded',
      'succeeded',
      'succeeded',
      'declined',
      'canceled',
      'canceled',
      'expired',
    ]);
    expect(outcomeOfFinalOrderStatus('action_required', 'waiting_capture')).toBe('authorized');
    expect(outcomeOfFinalOrderStatus('action_required', 'waiting_payment')).toBeNull();
    expect(outcomeOfFinalOrderStatus('processing', 'in_process')).toBeNull();
    expect(outcomeOfFinalOrderStatus('constructor', null)).toBeNull();
  });
});
