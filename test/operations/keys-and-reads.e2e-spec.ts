import { newKey, ApiClient } from '../support/api-client';
import { eventually, runExists } from '../support/temporal-assertions';
import { SimulatorClient } from '../support/simulator-client';
import { CLIENT_TOKENS, TestStack } from '../support/stack';

describe('a key belongs to one operation; order reads pass through', () => {
  let stack: TestStack;
  let api: ApiClient;
  let simulator: SimulatorClient;
  const advancedPayment = { wallet_payment: { transaction_amount: 700.5 }, payer: { token: 'APRO-payer' } };

  beforeAll(async () => {
    stack = await TestStack.start();
    api = new ApiClient(stack.apiUrl);
    simulator = new SimulatorClient(stack.simulatorUrl);
  });
  afterAll(async () => stack.stop());

  it('answers a process key sent to capture with the Orders key-reused error, and never calls capture', async () => {
    const orderId = await simulator.orderIn('created');
    const key = newKey();
    expect((await api.processOrder(orderId, { key })).status).toBe(200);
    const since = Date.now();

    const capture = await api.post(`/v1/orders/${orderId}/capture`, undefined, { key });

    expect(capture.status).toBe(409);
    expect(capture.body).toEqual({ errors: [{ code: 'idempotency_key_already_used', message: expect.any(String) as string }] });
    expect(await simulator.calls('/v1/orders/{id}/capture', orderId, since)).toEqual([]);
  });

  it('answers an advanced-payment key sent to process in the Orders dialect', async () => {
    const key = newKey();
    expect((await api.post('/v1/advanced_payments', advancedPayment, { key })).status).toBe(200);
    const orderId = await simulator.orderIn('created');

    const process = await api.processOrder(orderId, { key });

    expect(process.status).toBe(409);
    expect(process.body).toMatchObject({ errors: [{ code: 'idempotency_key_already_used' }] });
    expect(await simulator.processCalls(orderId)).toEqual([]);
  });

  it('answers a process key sent to advanced payments in the Wallet Connect dialect', async () => {
    const orderId = await simulator.orderIn('created');
    const key = newKey();
    await api.processOrder(orderId, { key });

    const payment = await api.post('/v1/advanced_payments', advancedPayment, { key });

    expect(payment.status).toBe(422);
    expect(payment.body).toEqual({
      status: '422',
      error: 'Unprocessable entity',
      message: 'Idempotency key already used.',
      cause: [{ code: '422001', message: 'Idempotency key already used.', data: null }],
    });
  });

  it('validates a Wallet Connect body before anything starts', async () => {
    const key = newKey();
    const payment = await api.post('/v1/advanced_payments', { wallet_payment: { transaction_amount: '700.50' }, payer: {} }, { key });

    expect(payment.status).toBe(400);
    expect(payment.body).toMatchObject({ status: '400', error: 'bad_request', message: 'Some parameters are invalid for search.' });
    expect(JSON.stringify(payment.body)).toContain('body.payer.token');
  });

  it('refuses a body it cannot read as JSON (415) instead of taking it for no body (a full refund)', async () => {
    const orderId = await simulator.orderIn('processed');
    const key = newKey();
    const since = Date.now();

    const response = await fetch(`${stack.apiUrl}/v1/orders/${orderId}/refund`, {
      method: 'POST',
      headers: { authorization: `Bearer ${CLIENT_TOKENS.checkout}`, 'x-idempotency-key': key, 'content-type': 'text/plain' },
      body: JSON.stringify({ transactions: [{ id: 'PAY01J67CQQH5904WDBVZEM4JMEP3', amount: '10.00' }] }),
    });

    expect(response.status).toBe(415);
    expect(await response.json()).toMatchObject({ errors: [{ code: 'unsupported_media_type' }] });
    expect(await runExists(stack.temporal, key)).toBe(false);
    expect(await simulator.calls('/v1/orders/{id}/refund', orderId, since)).toEqual([]);
  });

  it('answers an oversized body with 413 in the dialect of its route', async () => {
    const huge = { wallet_payment: { transaction_amount: 1, description: 'x'.repeat(200_000) }, payer: { token: 'APRO-payer' } };

    const orders = await api.post('/v1/orders', huge, { key: newKey() });
    const wallet = await api.post('/v1/advanced_payments', huge, { key: newKey() });

    expect(orders.status).toBe(413);
    expect(orders.body).toMatchObject({ errors: [{ code: 'payload_too_large' }] });
    expect(wallet.status).toBe(413);
    expect(wallet.body).toMatchObject({ status: '413', cause: [{ code: 'payload_too_large' }] });
  });

  it('answers Wallet Connect declines (201) and invalid payer tokens (401) as the upstream does', async () => {
    const rejected = await api.post('/v1/advanced_payments', { ...advancedPayment, payer: { token: 'OTHE-payer' } }, { key: newKey() });
    const unauthorized = await api.post('/v1/advanced_payments', { ...advancedPayment, payer: { token: 'REVOKED-payer' } }, { key: newKey() });

    expect(rejected.status).toBe(201);
    expect(rejected.body).toMatchObject({ status: 'rejected', payments: [{ status_detail: 'cc_rejected_other_reason' }] });
    expect(unauthorized.status).toBe(401);
    expect(unauthorized.body).toMatchObject({ status: '401', cause: [{ code: '401003' }] });
  });

  it("passes the upstream's wrong-state errors through: capturing an order that is not waiting for capture", async () => {
    const orderId = await simulator.orderIn('processed');

    const capture = await api.post(`/v1/orders/${orderId}/capture`, undefined, { key: newKey() });

    expect(capture.status).toBe(409);
    expect(capture.body).toMatchObject({ errors: [{ code: 'cannot_capture_order' }] });
  });

  it('refunds part of an order, then the rest, each under its own key', async () => {
    const orderId = await simulator.orderIn('processed');
    const order = (await api.get(`/v1/orders/${orderId}`)).body as { transactions: { payments: { id: string }[] } };
    const paymentId = order.transactions.payments[0]!.id;

    const partial = await api.post(`/v1/orders/${orderId}/refund`, { transactions: [{ id: paymentId, amount: '50.00' }] }, { key: newKey() });
    const rest = await api.post(`/v1/orders/${orderId}/refund`, undefined, { key: newKey() });

    expect(partial.status).toBe(201);
    expect(partial.body).toMatchObject({ status: 'processed', status_detail: 'partially_refunded' });
    expect(rest.status).toBe(201);
    expect(rest.body).toMatchObject({ status_detail: 'refunded' });
  });

  it('passes an order read through to the upstream, with auth and path validation of its own', async () => {
    const orderId = await simulator.orderIn('processed');

    const found = await api.get(`/v1/orders/${orderId}`);
    const missing = await api.get('/v1/orders/ORD00000000000000000000000000');
    const malformed = await api.get('/v1/orders/not-an-order');
    const anonymous = await api.get(`/v1/orders/${orderId}`, null);

    expect(found.status).toBe(200);
    expect(found.body).toMatchObject({ id: orderId, status: 'processed' });
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ errors: [{ code: 'order_not_found' }] });
    expect(malformed.status).toBe(400);
    expect(anonymous.status).toBe(401);
  });

  it('finds a created order by the id the upstream gave it', async () => {
    const key = newKey();
    const created = await api.post(
      '/v1/orders',
      { type: 'online', processing_mode: 'manual', total_amount: '10.00', payer: { email: 'test@testuser.com' }, transactions: null },
      { key },
    );
    expect(created.status).toBe(201);
    const orderId = (created.body as { id: string }).id;

    // Search is eventually consistent (docs/architecture.md): poll until it shows one.
    const runs = await eventually(
      async () => {
        const ids: string[] = [];
        for await (const run of stack.temporal.workflow.list({ query: `OrderId = "${orderId}" AND PaymentOperation = "order.create"` })) ids.push(run.workflowId);
        return ids;
      },
      (ids) => ids.length > 0,
    );

    expect(runs).toEqual([key]);
  });
});
