import { request as httpRequest } from 'node:http';
import { orderBody, SimulatorHarness, ACCESS_TOKEN, type OrderReply, type WalletErrorReply } from '../testing/simulator-harness';

describe('fault injection', () => {
  let simulator: SimulatorHarness;

  beforeAll(async () => {
    simulator = await SimulatorHarness.start();
  });
  afterAll(() => simulator.close());
  beforeEach(() => simulator.reset());

  const createWithKey = async (key: string, signal?: AbortSignal) => {
    const token = await simulator.cardToken('APRO');
    return { token, reply: simulator.post<OrderReply>('/v1/orders', { body: orderBody(token), key, signal }) };
  };

  describe('respond', () => {
    it('answers the given status, headers and body without acting, for `times` calls', async () => {
      await simulator.addFault({
        match: { method: 'POST', route: '/v1/orders' },
        fault: { type: 'respond', status: 429, headers: { 'Retry-After': '1' }, body: { errors: [{ code: 'too_many_requests', message: 'slow down' }] } },
        times: 2,
      });
      const token = await simulator.cardToken('APRO');
      for (let attempt = 0; attempt < 2; attempt += 1) {
        const reply = await simulator.post('/v1/orders', { body: orderBody(token), key: 'rate-limited' });
        expect(reply.status).toBe(429);
        expect(reply.headers.get('retry-after')).toBe('1');
        expect(reply.body).toEqual({ errors: [{ code: 'too_many_requests', message: 'slow down' }] });
      }
      const third = await simulator.post<OrderReply>('/v1/orders', { body: orderBody(token), key: 'rate-limited' });
      expect(third.status).toBe(201);
      const journal = await simulator.journal({ idempotency_key: 'rate-limited' });
      expect(journal.map((entry) => [entry.status, entry.effect, entry.note])).toEqual([
        [429, false, 'fault:respond'],
        [429, false, 'fault:respond'],
        [201, true, undefined],
      ]);
    });

    it.each([
      [500, 'internal_error'],
      [502, 'bad_gateway'],
      [503, 'service_unavailable'],
      [504, 'gateway_timeout'],
      [423, 'resource_locked'],
    ])('%i without a body gets an Orders error body with code %s', async (status, code) => {
      await simulator.addFault({ match: { route: '/v1/orders' }, fault: { type: 'respond', status } });
      const reply = await simulator.post('/v1/orders', { body: {} });
      expect(reply.status).toBe(status);
      expect(reply.body.errors[0]?.code).toBe(code);
    });

    it('uses the Wallet Connect error shape on advanced payments', async () => {
      await simulator.addFault({ match: { route: '/v1/advanced_payments' }, fault: { type: 'respond', status: 503 } });
      const reply = await simulator.post<WalletErrorReply>('/v1/advanced_payments', { body: {} });
      expect(reply.body).toMatchObject({ status: '503', error: 'service_unavailable', cause: [] });
    });

    it('matches one order only when orderId is given', async () => {
      const first = await simulator.createOrder('APRO', { processing_mode: 'manual' });
      const second = await simulator.createOrder('APRO', { processing_mode: 'manual' });
      await simulator.addFault({ match: { orderId: second.body.id }, fault: { type: 'respond', status: 500 } });
      expect((await simulator.post(`/v1/orders/${first.body.id}/process`)).status).toBe(200);
      expect((await simulator.post(`/v1/orders/${second.body.id}/process`)).status).toBe(500);
      expect((await simulator.post(`/v1/orders/${second.body.id}/process`)).status).toBe(200);
    });

    it('matches by method', async () => {
      const order = await simulator.createOrder('APRO');
      await simulator.addFault({ match: { method: 'GET' }, fault: { type: 'respond', status: 502 } });
      expect((await simulator.post(`/v1/orders/${order.body.id}/refund`)).status).toBe(201);
      expect((await simulator.get(`/v1/orders/${order.body.id}`)).status).toBe(502);
    });
  });

  it('delay: waits, then acts and answers normally', async () => {
    await simulator.addFault({ match: { route: '/v1/orders' }, fault: { type: 'delay', ms: 150 } });
    const started = performance.now();
    const { reply } = await createWithKey('delayed');
    expect((await reply).status).toBe(201);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    expect((await simulator.journal({ idempotency_key: 'delayed' }))[0]).toMatchObject({ status: 201, effect: true, note: 'fault:delay' });
  });

  it('hang: never answers and never acts; a retry with the same key acts', async () => {
    await simulator.addFault({ match: { route: '/v1/orders' }, fault: { type: 'hang' } });
    const { token, reply } = await createWithKey('hung', AbortSignal.timeout(200));
    await expect(reply).rejects.toThrow();
    expect(await simulator.journal({ idempotency_key: 'hung' })).toEqual([expect.objectContaining({ status: null, effect: false, note: 'fault:hang' })]);
    const retry = await simulator.post('/v1/orders', { body: orderBody(token), key: 'hung' });
    expect(retry.status).toBe(201);
  });

  it('drop: closes the connection without acting; a retry with the same key acts', async () => {
    await simulator.addFault({ match: { route: '/v1/orders' }, fault: { type: 'drop' } });
    const { token, reply } = await createWithKey('dropped');
    await expect(reply).rejects.toThrow();
    const retry = await simulator.post('/v1/orders', { body: orderBody(token), key: 'dropped' });
    expect(retry.status).toBe(201);
    expect((await simulator.journal({ idempotency_key: 'dropped' })).map((entry) => [entry.status, entry.effect, entry.note])).toEqual([
      [null, false, 'fault:drop'],
      [201, true, undefined],
    ]);
  });

  it('lose_response: acts, closes the connection, and a retry with the same key replays', async () => {
    await simulator.addFault({ match: { route: '/v1/orders' }, fault: { type: 'lose_response' } });
    const { token, reply } = await createWithKey('lost');
    await expect(reply).rejects.toThrow();
    const [lost] = await simulator.journal({ idempotency_key: 'lost' });
    expect(lost).toMatchObject({ status: null, effect: true, note: 'fault:lose_response', order_id: expect.stringMatching(/^ORD/) as string });
    const retry = await simulator.post<OrderReply>('/v1/orders', { body: orderBody(token), key: 'lost' });
    expect(retry.status).toBe(201);
    expect(retry.body.id).toBe(lost?.order_id);
    expect((await simulator.get(`/v1/orders/${retry.body.id}`)).status).toBe(200);
    expect((await simulator.journal({ idempotency_key: 'lost' })).filter((entry) => entry.effect)).toHaveLength(1);
  });

  describe('control API', () => {
    it('lists rules with their remaining uses and deletes them all', async () => {
      const id = await simulator.addFault({ match: { route: '/v1/orders/{id}/process' }, fault: { type: 'respond', status: 503 }, times: 3 });
      const listed = await simulator.call('GET', '/__simulator/faults', { token: null });
      expect(listed.body).toEqual({
        faults: [{ id, match: { route: '/v1/orders/{id}/process' }, fault: { type: 'respond', status: 503 }, remaining: 3 }],
      });
      const deleted = await simulator.call('DELETE', '/__simulator/faults', { token: null });
      expect(deleted.body).toEqual({ deleted: 1 });
      expect((await simulator.call('GET', '/__simulator/faults', { token: null })).body).toEqual({ faults: [] });
    });

    it.each([
      ['an unknown fault type', { fault: { type: 'explode' } }],
      ['an unknown route', { match: { route: '/v1/nothing' }, fault: { type: 'drop' } }],
      ['zero times', { fault: { type: 'drop' }, times: 0 }],
      ['a status out of range', { fault: { type: 'respond', status: 99 } }],
      ['an unknown property', { fault: { type: 'delay', ms: 10, jitter: 5 } }],
      ['no fault', {}],
    ])('400 invalid_fault for %s', async (_case, body) => {
      const reply = await simulator.call<{ error: string; message: string }>('POST', '/__simulator/faults', { body, token: null });
      expect(reply.status).toBe(400);
      expect(reply.body.error).toBe('invalid_fault');
      expect(reply.body.message.length).toBeGreaterThan(0);
    });

    it('400 json_syntax_error for a malformed control body', async () => {
      const reply = await simulator.call<{ error: string }>('POST', '/__simulator/faults', { rawBody: '{', token: null });
      expect(reply.status).toBe(400);
      expect(reply.body.error).toBe('json_syntax_error');
    });
  });
});

describe('closing the simulator', () => {
  it('ends hanging connections so close() returns', async () => {
    const simulator = await SimulatorHarness.start();
    await simulator.addFault({ fault: { type: 'hang' } });
    const { hostname, port } = new URL(simulator.url);
    const clientSawTheEnd = new Promise<string>((resolve) => {
      const hanging = httpRequest({ hostname, port, path: '/v1/orders/ORD01J49MMW3SSBK5PSV3DFR32959', headers: { authorization: `Bearer ${ACCESS_TOKEN}` } });
      hanging.on('response', () => resolve('answered'));
      hanging.on('error', (error) => resolve(`error: ${error.message}`));
      hanging.end();
    });
    await waitUntil(async () => (await simulator.journal()).length === 1);
    await simulator.close();
    await expect(clientSawTheEnd).resolves.toMatch(/^error:/);
  });
});

async function waitUntil(condition: () => Promise<boolean>): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error('condition never met');
}
