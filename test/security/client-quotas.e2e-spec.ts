import { ordersErrors } from '@app/mercadopago';
import { INVALID_BODY_EXAMPLE } from '../../apps/api/src/payments/documented-write-responses';
import { ApiClient, firstRefusal, newKey, type ApiAnswer } from '../support/api-client';
import { randomOrderId } from '../support/mercadopago-notifications';
import { scrape, seriesValue } from '../support/prometheus-text';
import { SimulatorClient } from '../support/simulator-client';
import { CLIENT_TOKENS, SECOND_MERCHANT, TestStack } from '../support/stack';
import { eventually, runExists } from '../support/temporal-assertions';

/** A second client of the second merchant, beside `shop`, to show one client's quota is not another's. */
const KIOSK_TOKEN = 'e2e-second-kiosk-token';
/** The first merchant's workers send at most this many upstream calls at once. */
const UPSTREAM_CONCURRENCY = 2;
/** Each delayed upstream call takes at least this long. */
const UPSTREAM_DELAY_MS = 1_500;
/** ISO journal times have millisecond resolution. */
const CLOCK_RESOLUTION_MS = 2;

/**
 * SECURITY.md, "Quotas per client": a client over its request rate, or with its runs in flight
 * all taken, is refused with 429 and Retry-After before anything starts, in its route's dialect;
 * another client is unaffected; each worker process keeps a merchant's upstream calls in flight
 * under UPSTREAM_CONCURRENCY_PER_MERCHANT.
 */
describe('client quotas', () => {
  let stack: TestStack;
  let api: ApiClient;
  let simulator: SimulatorClient;

  beforeAll(async () => {
    const quotas = {
      // The first merchant's clients: one run each in flight, with the default request rate.
      CLIENT_RUNS_IN_FLIGHT: '1',
      // The second merchant's clients: one request a second, one more per 10 s.
      MERCHANT_SECOND_API_TOKENS: `shop:${SECOND_MERCHANT.clientTokens.shop},kiosk:${KIOSK_TOKEN}`,
      MERCHANT_SECOND_CLIENT_REQUESTS_PER_SECOND: '1',
      MERCHANT_SECOND_CLIENT_REQUEST_BURST: '1',
      UPSTREAM_CONCURRENCY_PER_MERCHANT: String(UPSTREAM_CONCURRENCY),
      WAIT_FOR_RESULT_MS: '1500',
      // Every attempt in the standalone worker, so one process holds the merchant's upstream slots.
      API_HOSTS_WORKER: 'false',
    };
    stack = await TestStack.start({ api: quotas, worker: { UPSTREAM_CONCURRENCY_PER_MERCHANT: String(UPSTREAM_CONCURRENCY) } });
    api = new ApiClient(stack.apiUrl);
    simulator = new SimulatorClient(stack.simulatorUrl);
  });
  afterAll(async () => stack.stop());

  describe('request rate', () => {
    const shop = SECOND_MERCHANT.clientTokens.shop;

    it('refuses a client over its rate with 429 and Retry-After in the Orders dialect, before any run or upstream call', async () => {
      const since = Date.now();
      let last = { key: '', orderId: '' };
      const refused = await firstRefusal(() => {
        last = { key: newKey(), orderId: randomOrderId() };
        return api.processOrder(last.orderId, { key: last.key, token: shop });
      });
      expectRefusal(refused);
      expect(refused.body).toEqual({ errors: [{ code: 'too_many_requests', message: ordersErrors.too_many_requests.message }] });
      expect(await runExists(stack.temporalIn(SECOND_MERCHANT.namespace), last.key)).toBe(false);
      expect(await simulator.calls(null, last.orderId, since)).toEqual([]);

      // Reads count too, and another client of the same merchant keeps its own rate.
      expectRefusal(await firstRefusal(() => api.get(`/v1/orders/${randomOrderId()}`, shop)));
      expect((await api.get(`/v1/orders/${randomOrderId()}`, KIOSK_TOKEN)).status).toBe(404);
      expect((await api.get(`/v1/orders/${randomOrderId()}`, CLIENT_TOKENS.checkout)).status).toBe(404);
    });

    it('refuses in the Wallet Connect dialect on its routes, before any upstream call', async () => {
      const since = Date.now();
      // A body validation refuses: only the quota could let anything through to the upstream.
      const refused = await firstRefusal(() => api.post('/v1/advanced_payments', INVALID_BODY_EXAMPLE, { key: newKey(), token: shop }));
      expectRefusal(refused);
      expect(refused.body).toEqual({
        status: '429',
        error: 'too_many_requests',
        message: ordersErrors.too_many_requests.message,
        cause: [{ code: 'too_many_requests', message: ordersErrors.too_many_requests.message, data: null }],
      });
      expect(await simulator.calls('/v1/advanced_payments', null, since)).toEqual([]);
      expect((await api.post('/v1/advanced_payments', INVALID_BODY_EXAMPLE, { key: newKey(), token: KIOSK_TOKEN })).status).toBe(400);
      const metrics = await scrape(`${stack.operatorUrl}/metrics`);
      expect(seriesValue(metrics, 'client_quota_refusals_total', { limit: 'request_rate', merchant: SECOND_MERCHANT.name, client: 'shop' })).toBeGreaterThanOrEqual(3);
      expect(seriesValue(metrics, 'client_quota_refusals_total', { limit: 'request_rate', merchant: SECOND_MERCHANT.name, client: 'kiosk' })).toBe(0);
    });
  });

  it("caps a client's runs in flight: a new key is refused before it starts, its running key still answers, another client is unaffected", async () => {
    const held = await simulator.orderIn('created');
    // The upstream fails retryably until the faults are cleared: the run stays in flight.
    await simulator.injectProcessFault(held, { type: 'respond', status: 503 }, 1000);
    const heldKey = newKey();
    try {
      expect((await api.processOrder(held, { key: heldKey })).status).toBe(423);

      const waiting = await simulator.orderIn('created');
      const waitingKey = newKey();
      const refused = await api.processOrder(waiting, { key: waitingKey });
      expectRefusal(refused);
      expect(refused.body).toEqual({ errors: [{ code: 'too_many_runs_in_flight', message: ordersErrors.too_many_runs_in_flight.message }] });
      expect(await runExists(stack.temporal, waitingKey)).toBe(false);
      expect(await simulator.processCalls(waiting)).toEqual([]);

      // Its own running key is answered as usual, and another client starts runs of its own.
      expect((await api.processOrder(held, { key: heldKey })).status).toBe(423);
      expect((await api.processOrder(await simulator.orderIn('created'), { key: newKey(), token: CLIENT_TOKENS.marketplace })).status).toBe(200);

      // Once its run ends, the client may start another.
      await simulator.clearFaults();
      await eventually(
        () => api.processOrder(waiting, { key: waitingKey }),
        (answer) => answer.status === 200,
      );
    } finally {
      await simulator.clearFaults();
    }
  });

  it("keeps a merchant's upstream calls in flight within UPSTREAM_CONCURRENCY_PER_MERCHANT per worker process", async () => {
    const clients = [CLIENT_TOKENS.checkout, CLIENT_TOKENS.marketplace, CLIENT_TOKENS.backoffice];
    const orders = await Promise.all(clients.map(() => simulator.orderIn('created')));
    await simulator.injectFault('/v1/orders/{id}/process', null, { type: 'delay', ms: UPSTREAM_DELAY_MS }, clients.length);
    const since = Date.now();
    try {
      // One more write at once than the merchant may have calls in flight; each is answered eventually.
      const answers = await Promise.all(
        clients.map((token, index) => {
          const key = newKey();
          return answered(() => api.processOrder(orders[index]!, { key, token }));
        }),
      );
      expect(answers.map(({ status }) => status)).toEqual(clients.map(() => 200));
      const starts = (await Promise.all(orders.map((orderId) => simulator.calls('/v1/orders/{id}/process', orderId, since))))
        .map((calls) => {
          expect(calls).toHaveLength(1);
          return Date.parse(calls[0]!.time);
        })
        .sort((left, right) => left - right);
      // A call can only begin once one of the first two has been answered, after its delay.
      expect(starts[UPSTREAM_CONCURRENCY]! - starts[0]!).toBeGreaterThanOrEqual(UPSTREAM_DELAY_MS - CLOCK_RESOLUTION_MS);
      const metrics = await scrape(`${stack.workerHealthUrl}/metrics`);
      expect(seriesValue(metrics, 'upstream_calls_refused_total', { merchant: 'default' })).toBeGreaterThan(0);
    } finally {
      await simulator.clearFaults();
    }
  });

  /** The write's final answer: sent again with its key while its run is still working (423). */
  async function answered(send: () => Promise<ApiAnswer>): Promise<ApiAnswer> {
    return eventually(send, (answer) => answer.status !== 423);
  }
});

function expectRefusal(answer: ApiAnswer): void {
  expect(answer.status).toBe(429);
  expect(answer.headers.get('retry-after')).toMatch(/^[1-9][0-9]*$/);
}
