import { orderBody, SimulatorHarness, TEST_EPOCH_MS, type OrderReply, type OrdersErrorReply } from '../testing/simulator-harness';

describe('simulator controls, journal and edge responses', () => {
  let simulator: SimulatorHarness;

  beforeAll(async () => {
    simulator = await SimulatorHarness.start({ latencyMs: 0 });
  });
  afterAll(() => simulator.close());
  beforeEach(() => simulator.reset());

  it('GET /__simulator/health answers ok without auth', async () => {
    const reply = await simulator.call('GET', '/__simulator/health', { token: null });
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({ status: 'ok' });
  });

  it('404 for an unknown control route', async () => {
    const reply = await simulator.call<{ error: string }>('GET', '/__simulator/nothing', { token: null });
    expect(reply.status).toBe(404);
    expect(reply.body.error).toBe('not_found');
  });

  describe('journal', () => {
    it('records every API call with its route, order, key, status and effect, and filters them', async () => {
      const created = await simulator.createOrder('APRO', { processing_mode: 'manual' }, { key: 'create' });
      const orderId = created.body.id;
      await simulator.post(`/v1/orders/${orderId}/process`, { key: 'process' });
      await simulator.post(`/v1/orders/${orderId}/process`, { key: 'process' });
      await simulator.get(`/v1/orders/${orderId}`);

      expect(await simulator.journal({ order_id: orderId })).toEqual([
        {
          time: new Date(TEST_EPOCH_MS).toISOString(),
          method: 'POST',
          path: '/v1/orders',
          route: '/v1/orders',
          order_id: orderId,
          idempotency_key: 'create',
          status: 201,
          effect: true,
        },
        expect.objectContaining({ route: '/v1/orders/{id}/process', idempotency_key: 'process', status: 200, effect: true }),
        expect.objectContaining({ route: '/v1/orders/{id}/process', status: 200, effect: false, note: 'replayed' }),
        expect.objectContaining({ method: 'GET', route: '/v1/orders/{id}', idempotency_key: null, status: 200, effect: false }),
      ]);
      expect(await simulator.journal({ route: '/v1/orders/{id}/process' })).toHaveLength(2);
      expect(await simulator.journal({ idempotency_key: 'create' })).toHaveLength(1);
      expect(await simulator.journal({ route: '/v1/card_tokens' })).toHaveLength(1);
    });

    it('records rejections as calls without effect', async () => {
      await simulator.post('/v1/orders', { body: {}, token: null, key: 'no-auth' });
      await simulator.post('/v1/orders', { body: {}, key: 'invalid' });
      expect((await simulator.journal()).map((entry) => [entry.idempotency_key, entry.status, entry.effect])).toEqual([
        ['no-auth', 401, false],
        ['invalid', 400, false],
      ]);
    });
  });

  it('POST /__simulator/reset wipes orders, tokens, payments, keys, faults, journal and latency', async () => {
    const token = await simulator.cardToken('APRO');
    const order = await simulator.post<OrderReply>('/v1/orders', { body: orderBody(token), key: 'before-reset' });
    const payment = await simulator.post<{ id: number }>('/v1/advanced_payments', { body: { wallet_payment: { transaction_amount: 1 }, payer: { token: 'APRO' } } });
    await simulator.addFault({ match: { route: '/v1/orders/{id}' }, fault: { type: 'respond', status: 500 } });
    // Far more than the bound below, so that a reset that kept it cannot pass on a loaded machine either.
    await simulator.call('PUT', '/__simulator/latency', { body: { ms: 10_000 }, key: null, token: null });

    const reset = await simulator.call('POST', '/__simulator/reset', { token: null, key: null });
    expect(reset.status).toBe(200);

    expect(await simulator.journal()).toEqual([]);
    expect((await simulator.call('GET', '/__simulator/faults', { token: null })).body).toEqual({ faults: [] });
    const started = performance.now();
    expect((await simulator.get(`/v1/orders/${order.body.id}`)).status).toBe(404);
    expect(performance.now() - started).toBeLessThan(5_000);
    expect((await simulator.get(`/v1/advanced_payments/${payment.body.id}`)).status).toBe(404);
    const reused = await simulator.post<OrdersErrorReply>('/v1/orders', { body: orderBody(token, { external_reference: 'after' }), key: 'before-reset' });
    expect(reused.status).toBe(402);
    expect(reused.body.data?.transactions?.payments[0]?.status_detail).toBe('invalid_card_token');
  });

  describe('PUT /__simulator/latency', () => {
    it('adds latency to every API call until set back', async () => {
      expect((await simulator.call('PUT', '/__simulator/latency', { body: { ms: 2_000 }, key: null, token: null })).body).toEqual({ ms: 2_000 });
      const started = performance.now();
      expect((await simulator.get('/v1/orders/ORD01J49MMW3SSBK5PSV3DFR32959')).status).toBe(404);
      expect(performance.now() - started).toBeGreaterThanOrEqual(1_990);
      await simulator.call('PUT', '/__simulator/latency', { body: { ms: 0 }, key: null, token: null });
      const quick = performance.now();
      await simulator.get('/v1/orders/ORD01J49MMW3SSBK5PSV3DFR32959');
      // Set back: well under the latency it had, with room for a loaded machine.
      expect(performance.now() - quick).toBeLessThan(1_000);
    });

    it.each([[{ ms: -1 }], [{ ms: 'fast' }], [{}], [{ ms: 1.5 }]])('400 for %p', async (body) => {
      const reply = await simulator.call<{ error: string }>('PUT', '/__simulator/latency', { body, key: null, token: null });
      expect(reply.status).toBe(400);
      expect(reply.body.error).toBe('invalid_latency');
    });
  });

  describe('edge responses of the API', () => {
    it('404 not_found in the Orders shape for an unknown route, journaled without a route', async () => {
      const reply = await simulator.post('/v1/payments', { body: {} });
      expect(reply.status).toBe(404);
      expect(reply.body.errors[0]?.code).toBe('not_found');
      expect((await simulator.journal())[0]).toMatchObject({ path: '/v1/payments', route: null, status: 404 });
    });

    it('413 for a body over 1 MiB', async () => {
      const reply = await simulator.post('/v1/orders', { rawBody: JSON.stringify({ description: 'x'.repeat(1024 * 1024) }) });
      expect(reply.status).toBe(413);
      expect(reply.body.errors[0]?.code).toBe('payload_too_large');
    });
  });
});
