import { IDEMPOTENCY_WINDOW_MS } from './idempotency-store';
import { OTHER_ACCESS_TOKEN, orderBody, SimulatorHarness, type OrderReply, type OrdersErrorReply, type Reply, type WalletErrorReply } from '../testing/simulator-harness';

const walletBody = (payerToken: string) => ({ wallet_payment: { transaction_amount: 10 }, payer: { token: payerToken } });

describe('idempotency', () => {
  let simulator: SimulatorHarness;

  beforeAll(async () => {
    simulator = await SimulatorHarness.start();
  });
  afterAll(() => simulator.close());
  beforeEach(() => simulator.reset());

  const effects = async (key: string) => (await simulator.journal({ idempotency_key: key })).map((entry) => entry.effect);

  describe('the X-Idempotency-Key header', () => {
    it.each(['/v1/orders', '/v1/orders/ORD01J49MMW3SSBK5PSV3DFR32959/process', '/v1/orders/ORD01J49MMW3SSBK5PSV3DFR32959/refund'])(
      '400 empty_required_header on %s without it',
      async (path) => {
        const reply = await simulator.post(path, { body: {}, key: null });
        expect(reply.status).toBe(400);
        expect(reply.body.errors[0]?.code).toBe('empty_required_header');
      },
    );

    it('400 invalid_idempotency_key_length above 64 characters; 64 is fine', async () => {
      const tooLong = await simulator.createOrder('APRO', {}, { key: 'k'.repeat(65) });
      expect(tooLong.status).toBe(400);
      expect((tooLong.body as unknown as OrdersErrorReply).errors[0]?.code).toBe('invalid_idempotency_key_length');
      expect((await simulator.createOrder('APRO', {}, { key: 'k'.repeat(64) })).status).toBe(201);
    });

    it('is not needed for reads or card tokens', async () => {
      expect(
        (
          await simulator.post('/v1/card_tokens', {
            body: { card_number: '5031433215406351', expiration_month: 11, expiration_year: 2030, security_code: '123', cardholder: { name: 'APRO' } },
            key: null,
          })
        ).status,
      ).toBe(201);
      expect((await simulator.get('/v1/orders/ORD01J49MMW3SSBK5PSV3DFR32959', { key: null })).status).toBe(404);
    });
  });

  describe('Orders API', () => {
    it('replays the stored status and body for the same key and request, acting once', async () => {
      const token = await simulator.cardToken('APRO');
      const body = orderBody(token);
      const first = await simulator.post<OrderReply>('/v1/orders', { body, key: 'create-1' });
      // Same request with the keys in another order: still the same request.
      const reordered = Object.fromEntries(Object.entries(body).reverse());
      const second = await simulator.post<OrderReply>('/v1/orders', { body: reordered, key: 'create-1' });
      expect(second.status).toBe(201);
      expect(second.body).toEqual(first.body);
      expect(await effects('create-1')).toEqual([true, false]);
      expect((await simulator.journal({ idempotency_key: 'create-1' }))[1]?.note).toBe('replayed');
    });

    it('replays a 402 decline as it was answered', async () => {
      const created = await simulator.createOrder('OTHE', { processing_mode: 'manual' });
      const path = `/v1/orders/${created.body.id}/process`;
      const first = await simulator.post(path, { key: 'process-1' });
      const second = await simulator.post(path, { key: 'process-1' });
      expect(first.status).toBe(402);
      expect(second.status).toBe(402);
      expect(second.body).toEqual(first.body);
    });

    it('409 idempotency_key_already_used for another body or another path', async () => {
      const first = await simulator.createOrder('APRO', { processing_mode: 'manual' }, { key: 'shared' });
      expect(first.status).toBe(201);
      const otherBody = await simulator.createOrder<OrdersErrorReply>('APRO', { processing_mode: 'manual', external_reference: 'other' }, { key: 'shared' });
      expect(otherBody.status).toBe(409);
      expect(otherBody.body.errors[0]?.code).toBe('idempotency_key_already_used');
      const otherPath = await simulator.post(`/v1/orders/${first.body.id}/process`, { key: 'shared' });
      expect(otherPath.status).toBe(409);
      expect(await effects('shared')).toEqual([true, false, false]);
    });

    it('scopes keys by access token', async () => {
      const mine = await simulator.createOrder('APRO', {}, { key: 'per-seller' });
      const token = await simulator.cardToken('APRO', OTHER_ACCESS_TOKEN);
      const theirs = await simulator.post<OrderReply>('/v1/orders', { body: orderBody(token), key: 'per-seller', token: OTHER_ACCESS_TOKEN });
      expect(theirs.status).toBe(201);
      expect(theirs.body.id).not.toBe(mine.body.id);
    });

    it('423 resource_locked while the first request is in flight, then a replay', async () => {
      const token = await simulator.cardToken('APRO');
      await simulator.addFault({ match: { route: '/v1/orders' }, fault: { type: 'delay', ms: 300 } });
      const slow = simulator.post<OrderReply>('/v1/orders', { body: orderBody(token), key: 'slow' });
      await waitForJournal(simulator, 'slow', 1);
      const locked = await simulator.post('/v1/orders', { body: orderBody(token), key: 'slow' });
      expect(locked.status).toBe(423);
      expect(locked.body.errors[0]?.code).toBe('resource_locked');
      const first = await slow;
      const replay = await simulator.post<OrderReply>('/v1/orders', { body: orderBody(token), key: 'slow' });
      expect(replay.body).toEqual(first.body);
      expect((await simulator.journal({ idempotency_key: 'slow' })).map((entry) => entry.note)).toEqual(['fault:delay', 'locked', 'replayed']);
    });

    it('forgets a key after 24 hours', async () => {
      await simulator.createOrder('APRO', {}, { key: 'daily' });
      simulator.clock.advance(IDEMPOTENCY_WINDOW_MS - 1);
      expect((await simulator.createOrder('APRO', { external_reference: 'next' }, { key: 'daily' })).status).toBe(409);
      simulator.clock.advance(1);
      expect((await simulator.createOrder('APRO', { external_reference: 'next' }, { key: 'daily' })).status).toBe(201);
      expect(await effects('daily')).toEqual([true, false, true]);
    });
  });

  describe('Wallet Connect', () => {
    it('replays the payment for the same key and request', async () => {
      const first = await simulator.post('/v1/advanced_payments', { body: walletBody('APRO-1'), key: 'wallet-1' });
      const second = await simulator.post('/v1/advanced_payments', { body: walletBody('APRO-1'), key: 'wallet-1' });
      expect(second.status).toBe(200);
      expect(second.body).toEqual(first.body);
    });

    it('422 cause 422001 when the key was used for another request', async () => {
      await simulator.post('/v1/advanced_payments', { body: walletBody('APRO-1'), key: 'wallet-2' });
      const reply = await simulator.post<WalletErrorReply>('/v1/advanced_payments', { body: walletBody('APRO-2'), key: 'wallet-2' });
      expect(reply.status).toBe(422);
      expect(reply.body).toEqual({
        status: '422',
        error: 'Unprocessable entity',
        message: 'Idempotency key already used.',
        cause: [{ code: '422001', message: 'Idempotency key already used.', data: null }],
      });
    });

    it('409 cause 401001 while the first request is in flight', async () => {
      await simulator.addFault({ match: { route: '/v1/advanced_payments' }, fault: { type: 'delay', ms: 300 } });
      const slow = simulator.post('/v1/advanced_payments', { body: walletBody('APRO-1'), key: 'wallet-3' });
      await waitForJournal(simulator, 'wallet-3', 1);
      const reply = await simulator.post<WalletErrorReply>('/v1/advanced_payments', { body: walletBody('APRO-1'), key: 'wallet-3' });
      expect(reply.status).toBe(409);
      expect(reply.body).toEqual({
        status: '409',
        error: 'Conflict',
        message: 'The process has not been completed yet. Try again later.',
        cause: [{ code: '401001', message: 'The process has not been completed yet. Try again later.', data: null }],
      });
      expect((await slow).status).toBe(200);
    });
  });

  describe('50 concurrent identical requests', () => {
    it.each([
      ['a delay fault on the first one', { latencyMs: 0, delayFirst: true }],
      ['global latency on all of them', { latencyMs: 200, delayFirst: false }],
    ])('act exactly once with %s', async (_case, { latencyMs, delayFirst }) => {
      const token = await simulator.cardToken('APRO');
      if (delayFirst) await simulator.addFault({ match: { route: '/v1/orders' }, fault: { type: 'delay', ms: 300 } });
      await setLatency(simulator, latencyMs);
      const replies: Reply<OrderReply>[] = await Promise.all(Array.from({ length: 50 }, () => simulator.post<OrderReply>('/v1/orders', { body: orderBody(token), key: 'stampede' })));
      await setLatency(simulator, 0);

      const created = replies.filter((reply) => reply.status === 201);
      expect(created.length).toBeGreaterThanOrEqual(1);
      expect(new Set(created.map((reply) => reply.body.id)).size).toBe(1);
      expect(replies.every((reply) => reply.status === 201 || reply.status === 423)).toBe(true);
      expect(replies.filter((reply) => reply.status === 423).length).toBeGreaterThan(0);
      const journal = await simulator.journal({ idempotency_key: 'stampede' });
      expect(journal).toHaveLength(50);
      expect(journal.filter((entry) => entry.effect)).toHaveLength(1);
    });
  });
});

async function setLatency(simulator: SimulatorHarness, ms: number): Promise<void> {
  const reply = await simulator.call('PUT', '/__simulator/latency', { body: { ms }, key: null, token: null });
  expect(reply.status).toBe(200);
}

/** Polls (bounded) until the simulator has journaled `count` calls with this key. */
async function waitForJournal(simulator: SimulatorHarness, key: string, count: number): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    if ((await simulator.journal({ idempotency_key: key })).length >= count) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`the simulator never journaled ${count} call(s) for ${key}`);
}
