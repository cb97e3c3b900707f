import type { JsonValue } from '../../contracts/src/json';
import type { PaymentOperation } from '../../contracts/src/payment-operation';
import { isReconcilable, reconciledAnswer } from './reconciliation';

describe('settling a write nobody answered by reading its order', () => {
  const order = (status: string, statusDetail = status) => ({ id: 'ORD01J49MMW3SSBK5PSV3DFR32959', status, status_detail: statusDetail });

  it.each([
    ['order.process', undefined, order('processed', 'accredited'), 200],
    ['order.process', undefined, order('refunded'), 200],
    ['order.capture', undefined, order('processed', 'accredited'), 200],
    ['order.cancel', undefined, order('canceled'), 200],
    ['order.cancel', undefined, order('cancelled'), 200],
    ['order.refund', undefined, order('refunded'), 201],
    ['order.refund', undefined, order('processed', 'refunded'), 201],
  ] satisfies [PaymentOperation, JsonValue | undefined, JsonValue, number][])('settles %s when the order reads %j', (operation, body, read, status) => {
    expect(reconciledAnswer(operation, body, 200, read)).toEqual({ status, body: read });
  });

  it.each([
    ['order.process', undefined, order('created')],
    ['order.process', undefined, order('processing', 'in_process')],
    ['order.process', undefined, order('action_required', 'waiting_capture')],
    ['order.process', undefined, order('failed')],
    ['order.capture', undefined, order('action_required', 'waiting_capture')],
    ['order.cancel', undefined, order('created')],
    ['order.refund', undefined, order('processed', 'partially_refunded')],
    ['order.refund', { transactions: [{ id: 'PAY01J67CQQH5904WDBVZEM4JMEP3', amount: '10.00' }] }, order('refunded')],
    ['order.create', undefined, order('processed', 'accredited')],
    ['advanced_payment.create', undefined, order('processed', 'accredited')],
  ] satisfies [PaymentOperation, JsonValue | undefined, JsonValue][])('does not settle %s (body %j) when the order reads %j', (operation, body, read) => {
    expect(reconciledAnswer(operation, body, 200, read)).toBeNull();
  });

  it('settles nothing from a read that is not a 200 order', () => {
    expect(reconciledAnswer('order.process', undefined, 404, { errors: [{ code: 'order_not_found' }] })).toBeNull();
    expect(reconciledAnswer('order.process', undefined, 200, [order('processed')])).toBeNull();
    expect(reconciledAnswer('order.process', undefined, 200, { id: 'x' })).toBeNull();
  });

  it('reads only for writes a read can settle', () => {
    const readable: PaymentOperation[] = ['order.process', 'order.capture', 'order.cancel', 'order.refund'];
    expect(readable.every((operation) => isReconcilable(operation, undefined))).toBe(true);
    expect(isReconcilable('order.refund', { transactions: [] })).toBe(false);
    expect(isReconcilable('order.create', { any: 'body' })).toBe(false);
    expect(isReconcilable('advanced_payment.create', {})).toBe(false);
  });
});
