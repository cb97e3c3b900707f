import { followUpWorkflowId, orderAwaitingFinalState } from './follow-up';
import { checkIdempotencyKey } from './idempotency-key';
import { outcomeOfFinalOrderStatus } from './search-attributes';

const ORDER_ID = 'ORD01J49MMW3SSBK5PSV3DFR32959';
const answer = (status: number, orderStatus: string, statusDetail: string) => ({ status, body: { id: ORDER_ID, status: orderStatus, status_detail: statusDetail } });

describe('orderAwaitingFinalState', () => {
  it.each([
    ['processing', 'in_process'],
    ['action_required', 'waiting_payment'],
    ['action_required', 'waiting_transfer'],
  ])('follows an order answered %s/%s', (status, detail) => {
    expect(orderAwaitingFinalState('order.process', answer(200, status, detail))).toEqual({ orderId: ORDER_ID, status, statusDetail: detail });
    expect(orderAwaitingFinalState('order.create', answer(201, status, detail))).toEqual({ orderId: ORDER_ID, status, statusDetail: detail });
  });

  it.each([
    ['processed', 'accredited'],
    ['failed', 'failed'],
    ['canceled', 'canceled'],
    // The merchant's own capture moves it on: no notification will.
    ['action_required', 'waiting_capture'],
    // A manual order waits on its process call.
    ['created', 'created'],
  ])('leaves an order answered %s/%s alone', (status, detail) => {
    expect(orderAwaitingFinalState('order.process', answer(200, status, detail))).toBeNull();
  });

  it('follows only successful answers of order operations that carry an order', () => {
    expect(orderAwaitingFinalState('order.process', answer(409, 'processing', 'in_process'))).toBeNull();
    expect(orderAwaitingFinalState('advanced_payment.create', answer(201, 'processing', 'in_process'))).toBeNull();
    expect(orderAwaitingFinalState('order.process', { status: 200, body: { status: 'processing' } })).toBeNull();
    expect(orderAwaitingFinalState('order.process', { status: 200, body: [] })).toBeNull();
  });
});

describe('followUpWorkflowId', () => {
  it('is an ID no idempotency key can take', () => {
    expect(followUpWorkflowId(ORDER_ID)).toBe(`order-follow-up ${ORDER_ID}`);
    expect(checkIdempotencyKey(followUpWorkflowId(ORDER_ID))).toBe('invalid');
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
