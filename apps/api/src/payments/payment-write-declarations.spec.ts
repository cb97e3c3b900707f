import { acceptBody, paymentWrites } from './payment-write-declarations';

describe('payment write declarations', () => {
  it('declare every operation under its own name', () => {
    for (const [name, declaration] of Object.entries(paymentWrites)) expect(declaration.operation).toBe(name);
    expect(paymentWrites['order.refund'].describe('ORD1', 'checkout')).toBe('Refund order ORD1 for checkout');
  });

  it('ignore any body on writes that take none', () => {
    expect(acceptBody(paymentWrites['order.process'].body, { surprise: true })).toEqual({ body: null });
  });

  it('treat no refund body and {} alike (a full refund), and keep a partial one', () => {
    const rule = paymentWrites['order.refund'].body;
    expect(acceptBody(rule, undefined)).toEqual({ body: null });
    expect(acceptBody(rule, {})).toEqual({ body: null });
    const partial = { transactions: [{ id: 'PAY1', amount: '10.00' }] };
    expect(acceptBody(rule, partial)).toEqual({ body: partial });
    expect(acceptBody(rule, [partial])).toEqual({ problem: 'body: must be a JSON object' });
  });

  it('require an object to create an order', () => {
    expect(acceptBody(paymentWrites['order.create'].body, undefined)).toEqual({ problem: 'body: a JSON object is required' });
    expect(acceptBody(paymentWrites['order.create'].body, 'text')).toHaveProperty('problem');
  });

  it("check a Wallet Connect payment's essentials and let the rest through", () => {
    const rule = paymentWrites['advanced_payment.create'].body;
    const valid = { wallet_payment: { transaction_amount: 700.5, description: 'x' }, payer: { token: 'APRO-1' }, binary_mode: true };
    expect(acceptBody(rule, valid)).toEqual({ body: valid });
    expect(acceptBody(rule, { wallet_payment: { transaction_amount: -1 }, payer: {} })).toEqual({
      problem: expect.stringMatching(/body\.wallet_payment\.transaction_amount: .*; body\.payer\.token: /) as string,
    });
  });
});
