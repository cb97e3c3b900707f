import { notificationChange } from './notification-change';

const body = (value: unknown) => Buffer.from(JSON.stringify(value));

describe('notificationChange', () => {
  it('names the change by action, status, detail and version', () => {
    const notification = { action: 'order.processed', data: { id: 'ORD1', status: 'processed', status_detail: 'accredited', version: 3 } };
    expect(notificationChange(body(notification), 'request-1')).toBe('order.processed|processed|accredited|3|');
  });

  it('is the same for a resend, whatever else differs', () => {
    const first = { action: 'order.processed', date_created: '2026-11-26T20:00:00Z', data: { status: 'processed', version: 3 } };
    const resend = { ...first, date_created: '2026-11-26T20:15:00Z', live_mode: true };
    expect(notificationChange(body(resend), 'request-2')).toBe(notificationChange(body(first), 'request-1'));
  });

  it('leaves missing or non-scalar fields empty', () => {
    expect(notificationChange(body({}), 'request-1')).toBe('||||');
    expect(notificationChange(body({ action: 'order.action_required', data: { status: ['x'], status_detail: null } }), 'request-1')).toBe('order.action_required||||');
  });

  it('tells payment notifications apart by their own id, which a resend keeps', () => {
    const settled = { id: 12345, action: 'payment.updated', type: 'payment', data: { id: '3870106238' } };
    const later = { ...settled, id: 12346 };
    expect(notificationChange(body(settled), 'request-1')).toBe('payment.updated||||12345');
    expect(notificationChange(body({ ...settled, date_created: '2026-11-26T20:15:00Z' }), 'request-2')).toBe('payment.updated||||12345');
    expect(notificationChange(body(later), 'request-3')).not.toBe(notificationChange(body(settled), 'request-1'));
  });

  it('names a body that is not a JSON object by its signed request id, or uniquely without one', () => {
    expect(notificationChange(Buffer.from('not json'), 'request-1')).toBe('request:request-1');
    expect(notificationChange(body([1, 2]), 'request-1')).toBe('request:request-1');
    expect(notificationChange(Buffer.alloc(0), 'request-1')).toBe('request:request-1');
    expect(notificationChange(Buffer.from('not json'), undefined)).not.toBe(notificationChange(Buffer.from('not json'), undefined));
  });

  it('replaces a name too long to keep by its digest', () => {
    const name = notificationChange(body({ action: 'x'.repeat(500) }), 'request-1');
    expect(name).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(notificationChange(body({ action: 'x'.repeat(500) }), 'request-2')).toBe(name);
  });
});
