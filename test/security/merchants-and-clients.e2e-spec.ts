import type { Client } from '@temporalio/client';
import { ORDER_OWNER_MEMO_FIELD, orderOwnershipWorkflowId, searchAttributes } from '@app/contracts';
import { freePort } from '../../scripts/lib/free-port';
import { cardOrderBody } from '../../scripts/lib/simulator-orders';
import { ApiClient, errorCode, newKey, type ApiAnswer } from '../support/api-client';
import { SimulatorClient } from '../support/simulator-client';
import { eventually, localActivityTypeOf, runExists } from '../support/temporal-assertions';
import { CLIENT_TOKENS, SECOND_MERCHANT, TestStack } from '../support/stack';

const REFUND_ROUTE = '/v1/orders/{id}/refund';
/** A few hundred interleaved requests in all: enough to see a fraction of a millisecond, bounded. */
const TIMED_PAIRS = 150;
const WARM_UP_PAIRS = 10;

/**
 * Two merchants share the API and the worker, and the first has three clients: `checkout` and
 * `marketplace`, and `backoffice`, trusted with all of the merchant's orders. Nothing here is
 * started through Temporal: each test acts as a checkout client on the network would.
 */
describe('merchants and clients are walled off from each other', () => {
  let stack: TestStack;
  let api: ApiClient;
  let simulator: SimulatorClient;
  let secondSimulator: SimulatorClient;
  let secondTemporal: Client;

  beforeAll(async () => {
    stack = await TestStack.start();
    api = new ApiClient(stack.apiUrl);
    simulator = new SimulatorClient(stack.simulatorUrl);
    secondSimulator = new SimulatorClient(stack.simulatorUrl, SECOND_MERCHANT.upstreamToken);
    secondTemporal = stack.temporalIn(SECOND_MERCHANT.namespace);
  });
  afterAll(async () => stack?.stop());

  /** An order `checkout` creates through the API and processes: approved, refundable. */
  async function checkoutsProcessedOrder(): Promise<string> {
    const created = await api.post('/v1/orders', cardOrderBody(await simulator.cardToken(), 'manual'), { key: newKey() });
    expect(created.status).toBe(201);
    const orderId = (created.body as { id: string }).id;
    expect((await api.processOrder(orderId, { key: newKey() })).status).toBe(200);
    return orderId;
  }

  const expectOrderNotFound = (answer: ApiAnswer) => {
    expect(answer.status).toBe(404);
    expect(answer.body).toEqual({ errors: [{ code: 'order_not_found', message: 'Order not found.' }] });
  };

  describe('within a merchant, an order belongs to the client that created it', () => {
    it("answers another client's read, refund, capture and cancel 404, as if the order did not exist, and calls nothing upstream", async () => {
      const orderId = await checkoutsProcessedOrder();
      const since = Date.now();
      const keys = { refund: newKey(), capture: newKey(), cancel: newKey() };

      const read = await api.get(`/v1/orders/${orderId}`, CLIENT_TOKENS.marketplace);
      expectOrderNotFound(read);
      expect(read.text).not.toContain('APRO');
      for (const [write, key] of Object.entries(keys)) {
        expectOrderNotFound(await api.post(`/v1/orders/${orderId}/${write}`, undefined, { key, token: CLIENT_TOKENS.marketplace }));
        // Nothing started: the refused key stays free.
        expect(await runExists(stack.temporal, key)).toBe(false);
      }
      expect(await simulator.calls(null, orderId, since)).toEqual([]);
    });

    it("answers a malformed request for another client's order 400, as for any order: validation comes before ownership", async () => {
      const orderId = await checkoutsProcessedOrder();
      const since = Date.now();
      const key = newKey();

      const notAnObject = await api.post(`/v1/orders/${orderId}/refund`, [{ id: 'PAY01', amount: '1.00' }], { key, token: CLIENT_TOKENS.marketplace });
      const badKey = await api.post(`/v1/orders/${orderId}/capture`, undefined, { key: 'two words', token: CLIENT_TOKENS.marketplace });

      expect({ status: notAnObject.status, code: errorCode(notAnObject) }).toEqual({ status: 400, code: 'invalid_properties' });
      expect({ status: badKey.status, code: errorCode(badKey) }).toEqual({ status: 400, code: 'invalid_idempotency_key_length' });
      expect(await runExists(stack.temporal, key)).toBe(false);
      expect(await simulator.calls(null, orderId, since)).toEqual([]);
    });

    it('lets the creator and a trusted back office act on it', async () => {
      const orderId = await checkoutsProcessedOrder();

      expect((await api.get(`/v1/orders/${orderId}`, CLIENT_TOKENS.checkout)).status).toBe(200);
      expect((await api.get(`/v1/orders/${orderId}`, CLIENT_TOKENS.backoffice)).status).toBe(200);
      const refund = await api.post(`/v1/orders/${orderId}/refund`, undefined, { key: newKey(), token: CLIENT_TOKENS.backoffice });
      expect(refund.status).toBe(201);
    });

    it("records the creator in the merchant namespace, from the create's own run, under an ID no idempotency key can take", async () => {
      const key = newKey();
      const created = await api.post('/v1/orders', cardOrderBody(await simulator.cardToken(), 'manual'), { key });
      const orderId = (created.body as { id: string }).id;

      const record = await stack.temporal.workflow.getHandle(orderOwnershipWorkflowId(orderId)).describe();

      expect(record.memo?.[ORDER_OWNER_MEMO_FIELD]).toBe('checkout');
      const runHistory = await stack.temporal.workflow.getHandle(key).fetchHistory();
      expect((runHistory.events ?? []).some((event) => localActivityTypeOf(event) === 'recordOrderOwner')).toBe(true);
      const squat = await api.processOrder(orderId, { key: orderOwnershipWorkflowId(orderId).slice(0, 64) });
      expect(errorCode(squat)).toBe('invalid_idempotency_key_length');
    });

    it("keeps an order its creator learned only from GET /v1/payment-runs/{key} (answered after the wait) its creator's alone", async () => {
      // A create whose upstream answer comes after WAIT_FOR_RESULT_MS: the creator gets 423 and,
      // instead of asking again, reads the order id from its run's status. No API request ever
      // receives the create's answer, so only the run itself can have recorded the owner.
      const patient = new ApiClient((await stack.startApi(await freePort(), { WAIT_FOR_RESULT_MS: '200' })).url);
      const denying = new ApiClient((await stack.startApi(await freePort(), { ORDERS_CREATED_ELSEWHERE: 'deny' })).url);
      await simulator.injectFault('/v1/orders', null, { type: 'delay', ms: 1_500 });
      const key = newKey();
      expect((await patient.post('/v1/orders', cardOrderBody(await simulator.cardToken(), 'manual'), { key })).status).toBe(423);
      const status = await eventually(
        () => patient.get(`/v1/payment-runs/${key}`),
        (answer) => (answer.body as { state?: string }).state !== 'in_progress',
      );
      const orderId = (status.body as { order_id: string }).order_id;
      const since = Date.now();
      const refundKey = newKey();

      const read = await patient.get(`/v1/orders/${orderId}`, CLIENT_TOKENS.marketplace);
      const refund = await patient.post(`/v1/orders/${orderId}/refund`, undefined, { key: refundKey, token: CLIENT_TOKENS.marketplace });

      expect(status.body).toMatchObject({ state: 'final', upstream_status: 201, order_id: expect.stringMatching(/^ORD/) as string });
      expectOrderNotFound(read);
      expect(read.text).not.toContain('APRO');
      expectOrderNotFound(refund);
      expect(await simulator.calls(REFUND_ROUTE, orderId, since)).toEqual([]);
      expect(await runExists(stack.temporal, refundKey)).toBe(false);
      // Where orders created elsewhere are refused, the creator is not mistaken for "elsewhere".
      expect((await denying.get(`/v1/orders/${orderId}`, CLIENT_TOKENS.checkout)).status).toBe(200);
      expect((await denying.processOrder(orderId, { token: CLIENT_TOKENS.checkout })).status).toBe(200);
      expectOrderNotFound(await denying.get(`/v1/orders/${orderId}`, CLIENT_TOKENS.marketplace));
    });

    it('lets any client act on an order created elsewhere by default, and only a trusted one with ORDERS_CREATED_ELSEWHERE=deny', async () => {
      const denying = await stack.startApi(await freePort(), { ORDERS_CREATED_ELSEWHERE: 'deny' });
      const denyingApi = new ApiClient(denying.url);
      const orderId = await simulator.orderIn('created');
      const key = newKey();

      expectOrderNotFound(await denyingApi.processOrder(orderId, { key, token: CLIENT_TOKENS.marketplace }));
      expect(await runExists(stack.temporal, key)).toBe(false);
      expect((await denyingApi.processOrder(orderId, { key, token: CLIENT_TOKENS.backoffice })).status).toBe(200);
      expect((await api.get(`/v1/orders/${orderId}`, CLIENT_TOKENS.marketplace)).status).toBe(200);
      // By default, a write too, from a client that is neither trusted nor the one that processed it.
      const elsewhere = await simulator.orderIn('waiting_capture');
      const capture = await api.post(`/v1/orders/${elsewhere}/capture`, undefined, { key: newKey(), token: CLIENT_TOKENS.marketplace });
      expect(capture.status).toBe(200);
      expect(capture.body).toMatchObject({ id: elsewhere, status: 'processed' });
    });
  });

  describe('each merchant has its own keys, runs and orders', () => {
    it("gives the same key to two merchants as two runs, each in its merchant's namespace, each with one effect", async () => {
      const key = newKey();
      const firstOrder = await simulator.orderIn('created');
      const secondOrder = await secondSimulator.orderIn('created');

      const first = await api.processOrder(firstOrder, { key, token: CLIENT_TOKENS.checkout });
      // The first merchant's key cannot be squatted by the second merchant: it is another key there.
      const second = await api.processOrder(secondOrder, { key, token: SECOND_MERCHANT.clientTokens.shop });

      expect([first.status, second.status]).toEqual([200, 200]);
      expect(second.headers.get('idempotent-replayed')).toBeNull();
      expect(await simulator.processEffects(firstOrder)).toBe(1);
      expect(await secondSimulator.processEffects(secondOrder)).toBe(1);
      const firstRun = await stack.temporal.workflow.getHandle(key).describe();
      const secondRun = await secondTemporal.workflow.getHandle(key).describe();
      expect(firstRun.typedSearchAttributes.get(searchAttributes.orderId)).toBe(firstOrder);
      expect(secondRun.typedSearchAttributes.get(searchAttributes.orderId)).toBe(secondOrder);
    });

    it('keeps no ownership record for a merchant with a single client: nothing to separate, nothing to pay', async () => {
      const created = await api.post('/v1/orders', cardOrderBody(await secondSimulator.cardToken(), 'manual'), { key: newKey(), token: SECOND_MERCHANT.clientTokens.shop });
      const orderId = (created.body as { id: string }).id;

      expect(created.status).toBe(201);
      expect(await runExists(secondTemporal, orderOwnershipWorkflowId(orderId))).toBe(false);
      expect((await api.get(`/v1/orders/${orderId}`, SECOND_MERCHANT.clientTokens.shop)).status).toBe(200);
    });

    it("keeps the other merchant's runs out of its namespace's search", async () => {
      const key = newKey();
      expect((await api.processOrder(await secondSimulator.orderIn('created'), { key, token: SECOND_MERCHANT.clientTokens.shop })).status).toBe(200);

      // Visibility follows the run a moment later: wait for the second merchant's search to show it.
      const inSecond = await eventually(
        () => countRuns(secondTemporal, key),
        (count) => count > 0,
      );
      const inFirst = await countRuns(stack.temporal, key);

      expect({ inFirst, inSecond }).toEqual({ inFirst: 0, inSecond: 1 });
    });

    it("never reaches the other merchant's orders: its token belongs to another Mercado Pago account", async () => {
      const orderId = await checkoutsProcessedOrder();
      const since = Date.now();

      const read = await api.get(`/v1/orders/${orderId}`, SECOND_MERCHANT.clientTokens.shop);
      const refund = await api.post(`/v1/orders/${orderId}/refund`, undefined, { key: newKey(), token: SECOND_MERCHANT.clientTokens.shop });

      // The upstream itself answers: the order is not in the second merchant's account.
      expectOrderNotFound(read);
      expectOrderNotFound(refund);
      expect((await simulator.calls(REFUND_ROUTE, orderId, since)).filter((call) => call.effect)).toEqual([]);
    });
  });

  describe('the status of a payment run (GET /v1/payment-runs/{key})', () => {
    it("tells the key's client where its run stands, and no one else", async () => {
      const orderId = await simulator.orderIn('created');
      const key = newKey();
      const processed = await api.processOrder(orderId, { key });

      const own = await api.get(`/v1/payment-runs/${key}`, CLIENT_TOKENS.checkout);

      expect(own.status).toBe(200);
      expect(own.body).toMatchObject({
        idempotency_key: key,
        state: 'final',
        operation: 'order.process',
        order_id: orderId,
        attempts: 1,
        upstream_status: 200,
        closed_at: expect.any(String) as string,
      });
      expect((own.body as { latest: unknown }).latest).toEqual(processed.body);
      const unknown = await api.get(`/v1/payment-runs/${newKey()}`, CLIENT_TOKENS.checkout);
      // Another client of the merchant, a trusted one, and another merchant's: all as for an unknown key.
      for (const token of [CLIENT_TOKENS.marketplace, CLIENT_TOKENS.backoffice, SECOND_MERCHANT.clientTokens.shop]) {
        const other = await api.get(`/v1/payment-runs/${key}`, token);
        expect({ status: other.status, body: other.body }).toEqual({ status: unknown.status, body: unknown.body });
      }
      expect(unknown.status).toBe(404);
      expect((await api.get(`/v1/payment-runs/${key}`, null)).status).toBe(401);
    });

    it("answers another client's key as fast as an unknown key: its timing tells nothing either", async () => {
      const orderId = await simulator.orderIn('created');
      const key = newKey();
      expect((await api.processOrder(orderId, { key })).status).toBe(200);
      const timed404 = async (path: string): Promise<number> => {
        const started = performance.now();
        const answer = await api.get(path, CLIENT_TOKENS.marketplace);
        const elapsed = performance.now() - started;
        expect(answer.status).toBe(404);
        return elapsed;
      };
      // Pairs in alternating order, so neither kind always goes first or profits from a warm cache;
      // the first pairs warm the connection and the server's caches, and are not counted.
      const differences: number[] = [];
      const otherPath = `/v1/payment-runs/${key}`;
      for (let pair = 0; pair < WARM_UP_PAIRS + TIMED_PAIRS; pair++) {
        const unknownPath = `/v1/payment-runs/${newKey()}`;
        let other: number;
        let unknown: number;
        if (pair % 2 === 0) {
          other = await timed404(otherPath);
          unknown = await timed404(unknownPath);
        } else {
          unknown = await timed404(unknownPath);
          other = await timed404(otherPath);
        }
        if (pair >= WARM_UP_PAIRS) differences.push(other - unknown);
      }
      const { medianMs, toleranceMs } = medianDifference(differences);
      expect(Math.abs(medianMs)).toBeLessThanOrEqual(toleranceMs);
    });

    it('shows a run in progress, with its attempts so far, then the run that gave up', async () => {
      const orderId = await simulator.orderIn('created');
      const key = newKey();
      await simulator.injectProcessFault(orderId, { type: 'respond', status: 503, body: {} }, 1_000);
      const slow = new ApiClient((await stack.startApi(await freePort(), { WAIT_FOR_RESULT_MS: '200', UPSTREAM_RETRY_BUDGET_MS: '3000', UPSTREAM_RETRY_MAX_INTERVAL_MS: '300' })).url);
      expect((await slow.processOrder(orderId, { key })).status).toBe(423);

      const working = await eventually(
        () => slow.get(`/v1/payment-runs/${key}`),
        (answer) => ((answer.body as { attempts?: number }).attempts ?? 0) >= 2,
      );
      expect(working.body).toMatchObject({ state: 'in_progress', upstream_status: 503, closed_at: null, latest: null });
      const ended = await eventually(
        () => slow.get(`/v1/payment-runs/${key}`),
        (answer) => (answer.body as { state?: string }).state !== 'in_progress',
      );
      expect(ended.body).toMatchObject({ state: 'gave_up', upstream_status: 503, latest: null });
      await simulator.clearFaults();
    });
  });
});

/**
 * The median of paired differences, and how far from zero noise alone would put it: three standard
 * errors, estimated from the differences' own spread by the median absolute deviation, which the
 * outliers of a shared machine barely move. A consistent difference lies beyond; noise does not.
 */
function medianDifference(differences: readonly number[]): { medianMs: number; toleranceMs: number } {
  const median = (values: readonly number[]): number => {
    const sorted = [...values].sort((a, b) => a - b);
    const middle = Math.floor(sorted.length / 2);
    return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  };
  const medianMs = median(differences);
  const deviation = median(differences.map((difference) => Math.abs(difference - medianMs)));
  // For normal noise σ ≈ 1.4826 × MAD, and the median's standard error ≈ 1.2533 × σ / √n.
  const standardError = (1.2533 * 1.4826 * deviation) / Math.sqrt(differences.length);
  return { medianMs, toleranceMs: 3 * standardError };
}

async function countRuns(client: Client, workflowId: string): Promise<number> {
  return (await client.workflow.count(`WorkflowId = "${workflowId}"`)).count;
}
