import { followUpWorkflowId, notifiedFollowUpWorkflowId } from './follow-up';
import { checkIdempotencyKey } from './idempotency-key';

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
