import type { JsonValue } from '../../contracts/src/json';
import { awaitingFinalState } from './awaiting-final-state';

const ORDER_ID = 'ORD01J49MMW3SSBK5PSV3DFR32959';
const answer = (status: number, orderStatus: string, statusDetail: string) => ({ status, body: { id: ORDER_ID, status: orderStatus, status_detail: statusDetail } });

describe('awaitingFinalState of an order', () => {
  it.each([
    ['processing', 'in_process'],
    ['action_required', 'waiting_payment'],
    ['action_required', 'waiting_transfer'],
  ])('follows an order answered %s/%s', (status, detail) => {
    expect(awaitingFinalState('order.process', answer(200, status, detail))).toEqual({ kind: 'order', orderId: ORDER_ID, status, statusDetail: detail });
    expect(awaitingFinalState('order.create', answer(201, status, detail))).toEqual({ kind: 'order', orderId: ORDER_ID, status, statusDetail: detail });
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
    expect(awaitingFinalState('order.process', answer(200, status, detail))).toBeNull();
  });

  it('follows only successful answers of order operations that carry an order', () => {
    expect(awaitingFinalState('order.process', answer(409, 'processing', 'in_process'))).toBeNull();
    expect(awaitingFinalState('advanced_payment.create', answer(201, 'processing', 'in_process'))).toBeNull();
    expect(awaitingFinalState('order.process', { status: 200, body: { status: 'processing' } })).toBeNull();
    expect(awaitingFinalState('order.process', { status: 200, body: [] })).toBeNull();
  });
});

describe('awaitingFinalState of a Wallet Connect advanced payment', () => {
  const advancedPayment = (status: string, paymentId: JsonValue = 3870106238) => ({
    id: 10458724,
    status,
    payments: [{ id: paymentId, status, status_detail: status === 'in_process' ? 'pending_contingency' : 'accredited' }],
  });

  it.each(['in_process', 'pending'])('follows an advanced payment answered %s, found by its payment', (status) => {
    expect(awaitingFinalState('advanced_payment.create', { status: 201, body: advancedPayment(status) })).toEqual({
      kind: 'advanced_payment',
      advancedPaymentId: '10458724',
      paymentId: '3870106238',
      status,
      statusDetail: status === 'in_process' ? 'pending_contingency' : 'accredited',
    });
  });

  it.each(['approved', 'rejected', 'authorized', 'cancelled'])('leaves an advanced payment answered %s alone', (status) => {
    expect(awaitingFinalState('advanced_payment.create', { status: 200, body: advancedPayment(status) })).toBeNull();
  });

  it('cannot follow a pending advanced payment without a numeric payment id, nor an error answer', () => {
    expect(awaitingFinalState('advanced_payment.create', { status: 201, body: advancedPayment('in_process', null) })).toBeNull();
    expect(awaitingFinalState('advanced_payment.create', { status: 201, body: advancedPayment('in_process', '3870106238') })).toBeNull();
    expect(awaitingFinalState('advanced_payment.create', { status: 409, body: advancedPayment('in_process') })).toBeNull();
  });
});
