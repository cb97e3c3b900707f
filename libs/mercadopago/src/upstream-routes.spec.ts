import type { UpstreamRequest } from '../../contracts/src/upstream';
import { forbiddenUpstreamRequest, upstreamPathOf, upstreamUrl } from './upstream-routes';

const ORDER = 'ORD01J49MMW3SSBK5PSV3DFR32959';
const attempt = (overrides: Partial<UpstreamRequest>): UpstreamRequest => ({
  operation: 'order.process',
  method: 'POST',
  path: `/v1/orders/${ORDER}/process`,
  idempotencyKey: 'a'.repeat(64),
  timeoutMs: 1_000,
  ...overrides,
});

describe('upstream routes', () => {
  it('build each operation its documented path', () => {
    expect(upstreamPathOf('order.capture', ORDER)).toBe(`/v1/orders/${ORDER}/capture`);
    expect(upstreamPathOf('order.create', null)).toBe('/v1/orders');
    expect(upstreamPathOf('advanced_payment.create', null)).toBe('/v1/advanced_payments');
    expect(() => upstreamPathOf('order.refund', 'ORD1')).toThrow(/valid order id/);
    expect(() => upstreamPathOf('order.refund', null)).toThrow(/valid order id/);
  });

  it('accept what the API builds', () => {
    expect(forbiddenUpstreamRequest(attempt({}))).toBeNull();
    expect(forbiddenUpstreamRequest(attempt({ operation: 'order.refund', path: `/v1/orders/${ORDER}/refund`, body: { transactions: [] } }))).toBeNull();
    expect(forbiddenUpstreamRequest(attempt({ operation: 'order.create', path: '/v1/orders', body: { type: 'online' } }))).toBeNull();
  });

  it.each<[string, Partial<UpstreamRequest>]>([
    ['a path that turns the port into another', { path: '0/exfil' }],
    ['a path that changes the host', { path: '.attacker.tld/x' }],
    ["another operation's route", { path: `/v1/orders/${ORDER}/refund` }],
    ['an order id outside the rule', { path: '/v1/orders/ORD1/process' }],
    ['a path that climbs out', { path: `/v1/orders/${ORDER}/../../../x/process` }],
    ['a query string', { path: `/v1/orders/${ORDER}/process?x=1` }],
    ['another method', { method: 'PUT' as 'POST' }],
    ['an unknown operation', { operation: 'order.exfiltrate' as 'order.process' }],
    ["an operation named after the prototype's properties", { operation: 'constructor' as 'order.process', path: `/v1/orders/${ORDER}/undefined` }],
    ['a body on a write that takes none', { body: { amount: '1' } }],
    ['an upstream key with a line break', { idempotencyKey: 'a\r\nx-evil: 1' }],
  ])('refuse %s', (_name, overrides) => {
    expect(forbiddenUpstreamRequest(attempt(overrides))).toEqual(expect.any(String));
  });

  it('keep the URL under the base, prefix included', () => {
    expect(upstreamUrl('https://api.mercadopago.com', '/v1/orders').href).toBe('https://api.mercadopago.com/v1/orders');
    expect(upstreamUrl('http://127.0.0.1:4010/mp/', '/v1/orders').href).toBe('http://127.0.0.1:4010/mp/v1/orders');
    expect(() => upstreamUrl('http://127.0.0.1:4010', '0/exfil')).toThrow(/leaves the upstream base/);
    expect(() => upstreamUrl('https://api.mercadopago.com', '.attacker.tld/x')).toThrow(/leaves the upstream base/);
    expect(() => upstreamUrl('https://api.mercadopago.com/mp', '/../x')).toThrow(/leaves the upstream base/);
  });
});
