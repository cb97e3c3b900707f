import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { runStateQuery, type PaymentRunState } from '@app/contracts';
import { repoRoot } from '../../scripts/lib/paths';
import { ApiClient, errorCode, newKey } from '../support/api-client';
import { SimulatorClient } from '../support/simulator-client';
import { CLIENT_TOKENS, PAYLOAD_ENCRYPTION_KEY_ID, PAYLOAD_ENCRYPTION_KEYS, TestStack, UPSTREAM_TOKEN } from '../support/stack';
import { callsAfter, untilHeldBy } from '../support/attempt-holder';
import { eventually, runExists } from '../support/temporal-assertions';

describe('POST /v1/orders/{order_id}/process through Temporal and the simulator', () => {
  let stack: TestStack;
  let api: ApiClient;
  let simulator: SimulatorClient;

  beforeAll(async () => {
    stack = await TestStack.start();
    api = new ApiClient(stack.apiUrl);
    simulator = new SimulatorClient(stack.simulatorUrl);
  });
  afterAll(async () => stack.stop());

  describe('the walking skeleton', () => {
    it('reaches the simulator through a workflow whose ID is the idempotency key', async () => {
      const orderId = await simulator.createOrder('APRO');
      const key = newKey();

      const answer = await api.processOrder(orderId, { key });

      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({ id: orderId, status: 'processed', status_detail: 'accredited' });
      const description = await stack.temporal.workflow.getHandle(key).describe();
      expect(description.workflowId).toBe(key);
      expect(description.type).toBe('paymentWriteWorkflow');
      expect(description.status.name).toBe('COMPLETED');
      expect(await simulator.processEffects(orderId)).toBe(1);
    });
  });

  describe('health', () => {
    it('reports the API live and ready, and the worker polling', async () => {
      const probe = async (url: string) => {
        const response = await fetch(url);
        return { status: response.status, body: (await response.json()) as unknown };
      };

      expect(await probe(`${stack.apiUrl}/health/live`)).toEqual({ status: 200, body: { status: 'ok' } });
      // Ready once its hosted worker runs too, shortly after it listens (docs/operations.md, "The hosted worker").
      const apiReady = await eventually(
        () => probe(`${stack.apiUrl}/health/ready`),
        (answer) => answer.status === 200,
      );
      expect(apiReady).toEqual({ status: 200, body: { status: 'ok', temporal: 'reachable' } });
      expect(await probe(`${stack.workerHealthUrl}/health/live`)).toEqual({ status: 200, body: { status: 'ok' } });
      const ready = await eventually(
        () => probe(`${stack.workerHealthUrl}/health/ready`).catch(() => null),
        (answer) => answer?.status === 200,
      );
      expect(ready).toEqual({ status: 200, body: { status: 'ok', worker: 'polling' } });
    });
  });

  // Mercado Pago answers 401 to an Access Token it does not accept ("Process order by ID", responses, 401):
  // https://www.mercadopago.com.br/developers/en/reference/orders/online/process-order/post
  describe('auth: 401 without an accepted token (Process order by ID, 401)', () => {
    it.each([
      ['no Authorization header', null],
      ['an unknown token', 'not-a-client-token'],
      ["the upstream's own token", UPSTREAM_TOKEN],
    ])('answers 401 for %s and starts nothing', async (_case, token) => {
      const orderId = await simulator.createOrder('APRO');
      const key = newKey();

      const answer = await api.processOrder(orderId, { key, token });

      expect(answer.status).toBe(401);
      expect(errorCode(answer)).toBe('unauthorized');
      expect(await runExists(stack.temporal, key)).toBe(false);
      expect(await simulator.processCalls(orderId)).toEqual([]);
    });
  });

  // The 400 codes Mercado Pago answers for a missing key and a malformed order id ("Process order by ID", responses, 400):
  // https://www.mercadopago.com.br/developers/en/reference/orders/online/process-order/post
  // and for a key outside 1–64 characters ("Possible errors", invalid_idempotency_key_length):
  // https://www.mercadopago.com.br/developers/en/docs/automatic-payments-orders/possible-errors
  describe('validation before anything starts (Process order by ID, 400; Possible errors, invalid_idempotency_key_length)', () => {
    const validOrder = 'ORD01J49MMW3SSBK5PSV3DFR32959';
    it.each([
      ['a missing key', 400, 'empty_required_header', validOrder, null],
      ['a 65-character key', 400, 'invalid_idempotency_key_length', validOrder, 'k'.repeat(65)],
      ['a key with a space', 400, 'invalid_idempotency_key_length', validOrder, 'two words'],
      ['a lowercase order id', 400, 'invalid_path_param', 'ord01j49mmw3ssbk5psv3dfr32959', 'valid-key'],
      ['a short order id', 400, 'invalid_path_param', 'ORD123', 'valid-key'],
      ['a payment id', 400, 'invalid_path_param', 'PAY01J49MMW3SSBK5PSV3DFR32959', 'valid-key'],
    ])('answers %s with %i %s', async (_case, status, code, orderId, key) => {
      const uniqueKey = key === 'valid-key' ? newKey() : key;
      const answer = await api.processOrder(orderId, { key: uniqueKey });

      expect(answer.status).toBe(status);
      expect(answer.body).toEqual({ errors: [{ code, message: expect.any(String) as string }] });
      if (uniqueKey !== null && uniqueKey.length <= 64) expect(await runExists(stack.temporal, uniqueKey)).toBe(false);
    });

    it('accepts a 64-character key and an ORDTST test-user id', async () => {
      const answer = await api.processOrder('ORDTST01KYMB0S1TKGKCWFSB1ZRR3EW7', { key: 'k'.repeat(63) + '1' });
      expect(answer.status).toBe(404);
      expect(errorCode(answer)).toBe('order_not_found');
    });
  });

  // A key already used answers with what that request created, and a key used with a different request within 24 hours
  // answers 409 idempotency_key_already_used (QR "Create order": the X-Idempotency-Key header, and responses, 409):
  // https://www.mercadopago.com.br/developers/en/reference/in-person-payments/qr-code/orders/create-order/post
  describe('start or attach, and replays (QR Create order: X-Idempotency-Key, 409 idempotency_key_already_used)', () => {
    it('replays a finished run byte for byte, marked Idempotent-Replayed, with one upstream effect', async () => {
      const orderId = await simulator.createOrder('APRO');
      const key = newKey();

      const first = await api.processOrder(orderId, { key });
      const second = await api.processOrder(orderId, { key });
      const third = await api.processOrder(orderId, { key });

      expect(first.status).toBe(200);
      expect(first.headers.get('idempotent-replayed')).toBeNull();
      for (const replay of [second, third]) {
        expect(replay.status).toBe(200);
        expect(replay.text).toBe(first.text);
        expect(replay.headers.get('idempotent-replayed')).toBe('true');
      }
      expect(await simulator.processEffects(orderId)).toBe(1);
    });

    it('replays a decline (402) with its errors and data, without a second upstream call', async () => {
      const orderId = await simulator.createOrder('OTHE');
      const key = newKey();

      const first = await api.processOrder(orderId, { key });
      const replay = await api.processOrder(orderId, { key });

      expect(first.status).toBe(402);
      expect(first.body).toMatchObject({
        errors: [{ code: 'failed', details: [expect.stringContaining('rejected_by_issuer') as string] }],
        data: { id: orderId, status: 'failed' },
      });
      expect(replay.status).toBe(402);
      expect(replay.text).toBe(first.text);
      expect(replay.headers.get('idempotent-replayed')).toBe('true');
      expect(await simulator.processCalls(orderId)).toHaveLength(1);
    });

    it('answers 409 for the same key with another order, and never calls the upstream for it', async () => {
      const [firstOrder, otherOrder] = [await simulator.createOrder('APRO'), await simulator.createOrder('APRO')];
      const key = newKey();
      const original = await api.processOrder(firstOrder, { key });

      const reused = await api.processOrder(otherOrder, { key });

      expect(original.status).toBe(200);
      expect(reused.status).toBe(409);
      expect(reused.body).toEqual({ errors: [{ code: 'idempotency_key_already_used', message: expect.any(String) as string }] });
      expect(reused.text).not.toContain(firstOrder);
      expect(await simulator.processCalls(otherOrder)).toEqual([]);
    });

    it('answers 409 for the same key from another client, revealing nothing of the first answer', async () => {
      const orderId = await simulator.createOrder('APRO');
      const key = newKey();
      await api.processOrder(orderId, { key });

      const intruder = await api.processOrder(orderId, { key, token: CLIENT_TOKENS.marketplace });

      expect(intruder.status).toBe(409);
      expect(errorCode(intruder)).toBe('idempotency_key_already_used');
      expect(intruder.text).not.toContain('accredited');
      expect(await simulator.processEffects(orderId)).toBe(1);
    });

    it('turns 100 concurrent identical requests into one run, one upstream effect and identical answers', async () => {
      const orderId = await simulator.createOrder('APRO');
      const key = newKey();
      await simulator.injectProcessFault(orderId, { type: 'delay', ms: 1_000 });

      const answers = await Promise.all(Array.from({ length: 100 }, () => api.processOrder(orderId, { key })));

      expect(new Set(answers.map((answer) => answer.status))).toEqual(new Set([200]));
      expect(new Set(answers.map((answer) => answer.text)).size).toBe(1);
      expect(answers.filter((answer) => answer.headers.get('idempotent-replayed') === null)).toHaveLength(1);
      expect(await simulator.processEffects(orderId)).toBe(1);
      // Search is eventually consistent (docs/architecture.md): poll until it shows the key, then count.
      const runIds = await eventually(
        async () => {
          const ids: string[] = [];
          for await (const run of stack.temporal.workflow.list({ query: `WorkflowId = "${key}"` })) ids.push(run.runId);
          return ids;
        },
        (ids) => ids.length > 0,
      );
      expect(runIds).toHaveLength(1);
    });
  });

  // The upstream key makes a repeated request safe, and a 500 asks for the request again ("Process order by ID",
  // the X-Idempotency-Key header and responses, 500): https://www.mercadopago.com.br/developers/en/reference/orders/online/process-order/post
  // 423 resource_locked asks to wait and retry ("Possible errors", 423): https://mercadopago.com.mx/developers/en/docs/order/status-errors/integration-errors
  describe('upstream calls and retries (Process order by ID: X-Idempotency-Key, 500; Possible errors: 423)', () => {
    it('retries 5xx with the same upstream key, then answers the success', async () => {
      const orderId = await simulator.createOrder('APRO');
      const key = newKey();
      await simulator.injectProcessFault(orderId, { type: 'respond', status: 503, body: { message: 'unavailable' } }, 2);

      const answer = await api.processOrder(orderId, { key });

      expect(answer.status).toBe(200);
      const calls = await simulator.processCalls(orderId);
      expect(calls.map((call) => call.status)).toEqual([503, 503, 200]);
      const upstreamKeys = new Set(calls.map((call) => call.idempotency_key));
      expect(upstreamKeys.size).toBe(1);
      const [upstreamKey] = [...upstreamKeys];
      expect(upstreamKey).toMatch(/^[0-9a-f]{64}$/);
      expect(upstreamKey).not.toBe(key);
      const state = await stack.temporal.workflow.getHandle(key).query(runStateQuery);
      expect(state).toMatchObject<Partial<PaymentRunState>>({ phase: 'completed', attempts: 3, lastUpstreamStatus: 200 });
    });

    it('retries 500, 502, 423 and 429, honouring Retry-After', async () => {
      const orderId = await simulator.createOrder('APRO');
      await simulator.injectProcessFault(orderId, { type: 'respond', status: 429, headers: { 'Retry-After': '1' }, body: {} });
      await simulator.injectProcessFault(orderId, { type: 'respond', status: 500, body: { errors: [{ code: 'internal_error' }] } });
      await simulator.injectProcessFault(orderId, { type: 'respond', status: 502, body: {} });
      await simulator.injectProcessFault(orderId, { type: 'respond', status: 423, body: {} });

      const answer = await api.processOrder(orderId, { key: newKey() });

      expect(answer.status).toBe(200);
      const calls = await simulator.processCalls(orderId);
      expect(calls.map((call) => call.status)).toEqual([429, 500, 502, 423, 200]);
      const [afterRateLimit, rateLimited] = [Date.parse(calls[1]!.time), Date.parse(calls[0]!.time)];
      expect(afterRateLimit - rateLimited).toBeGreaterThanOrEqual(1_000);
    });

    it.each([
      ['a hanging upstream (timeout)', { type: 'hang' as const }],
      ['a dropped connection', { type: 'drop' as const }],
    ])('retries %s until the upstream answers', async (_case, fault) => {
      const orderId = await simulator.createOrder('APRO');
      await simulator.injectProcessFault(orderId, fault);

      const answer = await api.processOrder(orderId, { key: newKey() });

      expect(answer.status).toBe(200);
      expect(await simulator.processEffects(orderId)).toBe(1);
    });

    it('does not process twice when the upstream processed but the response was lost', async () => {
      const orderId = await simulator.createOrder('APRO');
      await simulator.injectProcessFault(orderId, { type: 'lose_response' });

      const answer = await api.processOrder(orderId, { key: newKey() });

      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({ id: orderId, status: 'processed' });
      const calls = await simulator.processCalls(orderId);
      expect(calls).toHaveLength(2);
      expect(calls.filter((call) => call.effect)).toHaveLength(1);
      expect(calls[1]!.note).toBe('replayed');
    });

    it.each([400, 401, 402, 404, 409, 422])('passes an injected upstream %i through at once, without retrying', async (status) => {
      const orderId = await simulator.createOrder('APRO');
      const body = { errors: [{ code: `injected_${status}`, message: 'injected by the test' }] };
      await simulator.injectProcessFault(orderId, { type: 'respond', status, body });

      const answer = await api.processOrder(orderId, { key: newKey() });

      expect(answer.status).toBe(status);
      expect(answer.body).toEqual(body);
      expect(await simulator.processCalls(orderId)).toHaveLength(1);
    });

    it('stores every payload encrypted: no card token, order body or payer data in history', async () => {
      const orderId = await simulator.createOrder('APRO');
      const key = newKey();
      const answer = await api.processOrder(orderId, { key });
      const cardToken = (answer.body as { transactions: { payments: { payment_method: { token: string } }[] } }).transactions.payments[0]!.payment_method.token;

      const history = await stack.temporal.workflow.getHandle(key).fetchHistory();

      const text = JSON.stringify(history, (name, value: unknown) => (name === 'data' && typeof value === 'string' ? Buffer.from(value, 'base64').toString('utf8') : value));
      expect(text).toContain(orderId);
      expect(text).toContain(Buffer.from('binary/encrypted').toString('base64'));
      for (const secret of [cardToken, 'payment_method', 'accredited', 'test@testuser.com', `/v1/orders/${orderId}/process`]) {
        expect(text).not.toContain(secret);
      }

      // An operator holding the keys reads them back with `npm run decode-run`.
      const decoded = spawnSync(process.execPath, [join(repoRoot, 'dist/scripts/decode-run.js'), key], {
        env: { PATH: process.env.PATH, TEMPORAL_ADDRESS: process.env.TEST_TEMPORAL_ADDRESS, PAYLOAD_ENCRYPTION_KEYS, PAYLOAD_ENCRYPTION_KEY_ID },
        encoding: 'utf8',
        timeout: 30_000,
      });
      expect(decoded.status).toBe(0);
      expect(decoded.stdout).toContain(cardToken);
      expect(decoded.stdout).toContain(`/v1/orders/${orderId}/process`);

      // … and the run's live state, which the Web UI's Queries tab would show encrypted.
      const state = spawnSync(process.execPath, [join(repoRoot, 'dist/scripts/run-state.js'), key], {
        env: { PATH: process.env.PATH, TEMPORAL_ADDRESS: process.env.TEST_TEMPORAL_ADDRESS, PAYLOAD_ENCRYPTION_KEYS, PAYLOAD_ENCRYPTION_KEY_ID },
        encoding: 'utf8',
        timeout: 30_000,
      });
      expect(state.status).toBe(0);
      expect(JSON.parse(state.stdout)).toMatchObject({ phase: 'completed', attempts: 1, lastUpstreamStatus: 200 });
    });

    it("keeps the merchant's access token out of workflow history", async () => {
      const orderId = await simulator.createOrder('APRO');
      const key = newKey();
      await simulator.injectProcessFault(orderId, { type: 'respond', status: 503, body: {} });
      await api.processOrder(orderId, { key });

      const history = await stack.temporal.workflow.getHandle(key).fetchHistory();

      // Payloads serialize as base64: decode them, or the search below would see nothing.
      const text = JSON.stringify(history, (name, value: unknown) => (name === 'data' && typeof value === 'string' ? Buffer.from(value, 'base64').toString('utf8') : value));
      expect(text).toContain(orderId);
      expect(text).not.toContain(UPSTREAM_TOKEN);
    });
  });

  // The upstream's final answers pass through: 404 order_not_found ("Process order by ID", responses, 404):
  // https://www.mercadopago.com.br/developers/en/reference/orders/online/process-order/post
  // and 400 invalid_order_mode_for_operation ("Possible errors"):
  // https://mercadopago.com.mx/developers/en/docs/order/status-errors/integration-errors
  describe('terminal states (Process order by ID, 404; Possible errors, invalid_order_mode_for_operation)', () => {
    it('answers 404 order_not_found from the upstream for an unknown order', async () => {
      const answer = await api.processOrder('ORD00000000000000000000000000', { key: newKey() });
      expect(answer.status).toBe(404);
      expect(errorCode(answer)).toBe('order_not_found');
    });

    it('answers 400 from the upstream for an order in automatic mode', async () => {
      const orderId = await simulator.createOrder('APRO', 'automatic');
      const answer = await api.processOrder(orderId, { key: newKey() });
      expect(answer.status).toBe(400);
      expect(errorCode(answer)).toBe('invalid_order_mode_for_operation');
    });
  });

  // Not a Mercado Pago behaviour: the orchestrator's own promise to operators, in docs/operations.md,
  // "Finding a payment in the Temporal Web UI".
  describe('operators: a run found by its search attributes, its live state by a query (docs/operations.md)', () => {
    it('finds a run by order id, client, outcome and the external reference in the answer, and reads its live state while it waits to retry', async () => {
      const orderId = await simulator.createOrder('APRO');
      const key = newKey();
      await simulator.injectProcessFault(orderId, { type: 'respond', status: 503, headers: { 'Retry-After': '3' }, body: {} });
      const pending = api.processOrder(orderId, { key });

      const handle = stack.temporal.workflow.getHandle(key);
      const waiting = await eventually(
        () => handle.query(runStateQuery).catch(() => null),
        (state) => state?.phase === 'waiting_to_retry',
      );
      expect(waiting).toMatchObject({ phase: 'waiting_to_retry', attempts: 1, lastUpstreamStatus: 503, lastFailureReason: 'HTTP 503' });
      expect(Date.parse(waiting!.nextAttemptAt!)).toBeGreaterThan(Date.now());
      expect((await pending).status).toBe(200);

      const query = `OrderId = "${orderId}" AND ClientId = "checkout" AND PaymentOutcome = "succeeded" AND UpstreamStatus = 200 AND ExternalReference = "local-test"`;
      const found = await eventually(
        async () => {
          const ids: string[] = [];
          for await (const run of stack.temporal.workflow.list({ query })) ids.push(run.workflowId);
          return ids;
        },
        (ids) => ids.length > 0,
      );
      expect(found).toEqual([key]);
    });
  });

  describe('a worker killed mid-call', () => {
    it('completes the same key after a restart with exactly one upstream effect', async () => {
      const orderId = await simulator.createOrder('APRO');
      const key = newKey();
      // The first attempt runs inside the run's first workflow task (in the API's hosted worker):
      // let it fail, so the second, an activity task, is the one in flight in the standalone worker.
      await simulator.injectProcessFault(orderId, { type: 'respond', status: 503, body: { message: 'try later' } });
      await simulator.injectProcessFault(orderId, { type: 'delay', ms: 1_500 });
      const pending = api.processOrder(orderId, { key });
      // The second attempt is in flight once the simulator holds it while the worker runs its activity task.
      const held = await untilHeldBy(stack, key, 'worker', async () => (await simulator.processCalls(orderId)).find((call) => call.status === null));

      await stack.crashAndRestart('worker');

      await pending;
      // The lost attempt times out (UPSTREAM_TIMEOUT_MS + 5 s), then the run's task leaves the dead
      // worker's sticky queue (WORKER_STICKY_QUEUE_TIMEOUT_MS, 2 s): allow that twice over, bounded.
      const settled = await eventually(
        () => api.processOrder(orderId, { key }),
        (next) => next.status !== 423,
        60_000,
      );
      expect(settled.status).toBe(200);
      expect(settled.body).toMatchObject({ id: orderId, status: 'processed' });
      const calls = await simulator.processCalls(orderId);
      // The 503, the killed attempt, and at least one after it, all under one upstream key, one acting.
      expect(callsAfter(calls, held).length).toBeGreaterThanOrEqual(1);
      expect(new Set(calls.map((call) => call.idempotency_key)).size).toBe(1);
      expect(calls.filter((call) => call.effect)).toHaveLength(1);
      expect((await stack.temporal.workflow.getHandle(key).query(runStateQuery)).attempts).toBeGreaterThanOrEqual(3);
    });
  });
});
