import {
  callbackTaskQueue,
  CLIENT_CALLBACKS_WORKFLOW,
  clientCallbacksQuery,
  clientCallbacksWorkflowId,
  notifiedFollowUpWorkflowId,
  orderFollowUpWorkflowId,
  searchAttributes,
} from '@app/contracts';
import { ApiClient, newKey, type ApiAnswer } from '../support/api-client';
import { about, CallbackReceiver, verifiesWith } from '../support/callback-receiver';
import { scrape, seriesValue } from '../support/prometheus-text';
import { SimulatorClient } from '../support/simulator-client';
import { CLIENT_TOKENS, TestStack } from '../support/stack';
import { eventually } from '../support/temporal-assertions';

/**
 * Following a payment whose answer was not final (issue 12, docs/architecture.md "Following a payment
 * to its final state"), on the real dev server, API, worker and simulator: the simulator notifies
 * order changes to the API's webhook, signed as Mercado Pago signs them ("Notifications",
 * https://www.mercadopago.com.br/developers/en/docs/checkout-api-orders/notifications).
 */
const ORDER_READ_ROUTE = '/v1/orders/{id}';
const CALLBACK_SECRET = 'e2e-checkout-callback-secret-of-32-characters';
const MARKETPLACE_CALLBACK_SECRET = 'e2e-marketplace-callback-secret-of-32-chars';

interface RunStatus {
  state: string;
  latest: { status?: string; status_detail?: string } | null;
  follow_up: { state: string; status: string | null; reads: number; notifications: number; duplicate_notifications: number; callback: string | null } | null;
}

interface AdvancedPaymentBody {
  id: number;
  status: string;
  payments: { id: number; status: string; status_detail: string }[];
}

const status = async (api: ApiClient, key: string) => (await api.get(`/v1/payment-runs/${key}`)).body as RunStatus;

/** A CONT (manual review) or CHAL (3-D Secure) order processed through the orchestrator: answered at once, not final. */
async function pendingPayment(api: ApiClient, simulator: SimulatorClient, cardholder: 'CONT' | 'CHAL'): Promise<{ orderId: string; key: string; answer: ApiAnswer }> {
  const orderId = await simulator.createOrder(cardholder);
  const key = newKey();
  const answer = await api.processOrder(orderId, { key });
  return { orderId, key, answer };
}

describe('a payment answered before its final state, settled by a notification', () => {
  let stack: TestStack;
  let api: ApiClient;
  let simulator: SimulatorClient;
  const callbacks = new CallbackReceiver();
  const marketplaceCallbacks = new CallbackReceiver();

  beforeAll(async () => {
    await callbacks.listen();
    await marketplaceCallbacks.listen();
    const clientCallbacks = {
      CLIENT_CALLBACK_URLS: `checkout=${callbacks.url},marketplace=${marketplaceCallbacks.url}`,
      CLIENT_CALLBACK_SECRETS: `checkout=${CALLBACK_SECRET},marketplace=${MARKETPLACE_CALLBACK_SECRET}`,
    };
    stack = await TestStack.start({
      // Polls an hour apart: within a test, only a notification can make the follow-up read.
      api: { FOLLOW_UP_POLL_INITIAL_MS: '3600000', FOLLOW_UP_POLL_MAX_INTERVAL_MS: '3600000', FOLLOW_UP_HORIZON_MS: '86400000', ...clientCallbacks },
      worker: clientCallbacks,
      notifications: { pendingSettleMs: 0 },
    });
    api = new ApiClient(stack.apiUrl);
    simulator = new SimulatorClient(stack.simulatorUrl);
  });
  afterAll(async () => {
    await stack.stop();
    await callbacks.close();
    await marketplaceCallbacks.close();
  });

  it('answers processing as Mercado Pago did, then the signed notification settles it: final, the processed order, a signed callback retried until 2xx', async () => {
    callbacks.refuseNext(2);
    const { orderId, key, answer } = await pendingPayment(api, simulator, 'CONT');

    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ id: orderId, status: 'processing', status_detail: 'in_process' });
    expect(await status(api, key)).toMatchObject({ state: 'awaiting_final_state', latest: { status: 'processing' }, follow_up: { state: 'awaiting_final_state' } });

    await simulator.settle(orderId, 'approved');

    const settled = await eventually(
      () => status(api, key),
      (current) => current.state === 'final',
    );
    expect(settled).toMatchObject({ state: 'final', latest: { status: 'processed', status_detail: 'accredited' }, follow_up: { state: 'final' } });
    expect(settled.follow_up!.notifications).toBeGreaterThanOrEqual(1);
    // The order was processed once, by the orchestrator's one write; the follow-up only read.
    expect(await simulator.processEffects(orderId)).toBe(1);
    const writes = (await simulator.calls(null, orderId, 0)).filter((entry) => entry.method !== 'GET');
    expect(writes.map((entry) => entry.route)).toEqual(['/v1/orders', '/v1/orders/{id}/process']);

    // The same request still gets the original answer, byte for byte.
    const replay = await api.processOrder(orderId, { key });
    expect(replay.text).toBe(answer.text);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');

    // The client's callback: refused twice, delivered on the third try, each signed with its secret.
    const deliveries = await eventually(
      () => Promise.resolve(callbacks.received),
      (received) => received.length >= 3,
    );
    expect(deliveries.map(({ answered }) => answered)).toEqual([503, 503, 204]);
    for (const delivery of deliveries) expect(verifiesWith(CALLBACK_SECRET, delivery)).toBe(true);
    expect(verifiesWith('another-client-secret-of-32-characters!!', deliveries[0]!)).toBe(false);
    expect(new Set(deliveries.map(({ body }) => (JSON.parse(body) as { id: string }).id)).size).toBe(1);
    expect(JSON.parse(deliveries[2]!.body)).toMatchObject({ type: 'payment_run.final', idempotency_key: key, order_id: orderId, state: 'final', order: { status: 'processed' } });
    // The follow-up handed its event to the client's callbacks workflow, which delivered it (docs/api.md, "Callbacks").
    const told = await eventually(
      () => status(api, key),
      (current) => (current.follow_up?.callback ?? null) !== null,
    );
    expect(told.follow_up?.callback).toBe('handed_over');

    // Operators find the follow-up by its outcome and the order's status.
    const followUp = await stack.temporal.workflow.getHandle(orderFollowUpWorkflowId(orderId)).describe();
    expect(followUp.typedSearchAttributes.get(searchAttributes.outcome)).toBe('succeeded');
    expect(followUp.typedSearchAttributes.get(searchAttributes.orderStatus)).toBe('processed');
  });

  it('calls back a payment answered final at once to its own client, exactly once, signed with its own secret, with the answer', async () => {
    const [checkoutOrder, marketplaceOrder] = [await simulator.createOrder('APRO'), await simulator.createOrder('OTHE')];
    const [checkoutKey, marketplaceKey] = [newKey(), newKey()];

    const checkoutAnswer = await api.processOrder(checkoutOrder, { key: checkoutKey });
    const marketplaceAnswer = await api.processOrder(marketplaceOrder, { key: marketplaceKey, token: CLIENT_TOKENS.marketplace });

    expect([checkoutAnswer.status, marketplaceAnswer.status]).toEqual([200, 402]);
    // Each client's callbacks workflow delivers its events (docs/api.md, "Callbacks"): done once it has received one and holds none pending.
    const delivered = async (clientId: string, receiver: CallbackReceiver, key: string) => {
      const handle = stack.temporal.workflow.getHandle(clientCallbacksWorkflowId(callbackTaskQueue(stack.taskQueue), clientId));
      await eventually(
        async () => about(receiver, key).length > 0 && (await handle.query(clientCallbacksQuery)).pending.length === 0,
        (done) => done,
      );
      const { type, taskQueue } = await handle.describe();
      expect([type, taskQueue]).toEqual([CLIENT_CALLBACKS_WORKFLOW, callbackTaskQueue(stack.taskQueue)]);
      return about(receiver, key);
    };
    const checkoutDeliveries = await delivered('checkout', callbacks, checkoutKey);
    const marketplaceDeliveries = await delivered('marketplace', marketplaceCallbacks, marketplaceKey);
    // Exactly one event per run, on the callback task queue.
    expect([checkoutDeliveries.length, marketplaceDeliveries.length]).toEqual([1, 1]);
    const [[checkoutDelivery], [marketplaceDelivery]] = [checkoutDeliveries, marketplaceDeliveries];
    expect(verifiesWith(CALLBACK_SECRET, checkoutDelivery!)).toBe(true);
    expect(verifiesWith(MARKETPLACE_CALLBACK_SECRET, marketplaceDelivery!)).toBe(true);
    expect(JSON.parse(checkoutDelivery!.body)).toEqual({
      id: expect.any(String) as string,
      type: 'payment_run.final',
      created_at: expect.any(String) as string,
      idempotency_key: checkoutKey,
      state: 'final',
      operation: 'order.process',
      order_id: checkoutOrder,
      answer: { status: 200, body: JSON.parse(checkoutAnswer.text) as unknown },
    });
    expect(JSON.parse(marketplaceDelivery!.body)).toMatchObject({ type: 'payment_run.final', operation: 'order.process', answer: { status: 402 } });
    // Nothing about a client's run reaches another client's URL.
    expect(about(marketplaceCallbacks, checkoutKey)).toEqual([]);
    expect(about(callbacks, marketplaceKey)).toEqual([]);
    // The attempt handed the event over itself, and the run took its steps without patch markers
    // (libs/workflows/src/payment-run/steps-revision.ts): its one marker is the attempt's.
    const { events } = await stack.temporal.workflow.getHandle(checkoutKey).fetchHistory();
    expect((events ?? []).flatMap((event) => event.markerRecordedEventAttributes?.markerName ?? [])).toEqual(['core_local_activity']);
  });

  it('follows a Wallet Connect payment answered in_process: its payment notification settles it, and the client is called back with it', async () => {
    const key = newKey();
    const answer = await api.post('/v1/advanced_payments', { wallet_payment: { transaction_amount: 70.5 }, payer: { token: 'CONT-payer' } }, { key });
    expect(answer.status).toBe(201);
    const pending = answer.body as AdvancedPaymentBody;
    expect(pending).toMatchObject({ status: 'in_process', payments: [{ status: 'in_process', status_detail: 'pending_contingency' }] });
    const [advancedPaymentId, paymentId] = [String(pending.id), String(pending.payments[0]!.id)];
    expect(await status(api, key)).toMatchObject({ state: 'awaiting_final_state', follow_up: { state: 'awaiting_final_state', status: 'in_process' } });
    const settledAt = Date.now();

    await simulator.settleAdvancedPayment(advancedPaymentId, 'approved');

    const settled = await eventually(
      () => status(api, key),
      (current) => current.state === 'final',
    );
    expect(settled).toMatchObject({ latest: { status: 'approved' }, follow_up: { state: 'final', status: 'approved', reads: 1 } });
    // Woken by the payment notification, not by a poll an hour away: one read of the advanced payment.
    expect(settled.follow_up!.notifications).toBeGreaterThanOrEqual(1);
    expect(await simulator.calls('/v1/advanced_payments/{id}', null, settledAt)).toHaveLength(1);
    expect((await simulator.notificationsByDataId(paymentId)).map((record) => record.action)).toEqual(['payment.created', 'payment.updated']);
    const followUp = await stack.temporal.workflow.getHandle(notifiedFollowUpWorkflowId('payment', paymentId)).describe();
    expect(followUp.typedSearchAttributes.get(searchAttributes.outcome)).toBe('succeeded');
    expect(followUp.typedSearchAttributes.get(searchAttributes.paymentStatus)).toBe('approved');

    const [delivery] = await eventually(
      () => Promise.resolve(callbacks.received.filter(({ body }) => (JSON.parse(body) as { idempotency_key: string }).idempotency_key === key)),
      (found) => found.length === 1,
    );
    expect(verifiesWith(CALLBACK_SECRET, delivery!)).toBe(true);
    expect(JSON.parse(delivery!.body)).toMatchObject({
      type: 'payment_run.final',
      state: 'final',
      advanced_payment_id: advancedPaymentId,
      advanced_payment: { id: pending.id, status: 'approved' },
    });
    // The replay is still Mercado Pago's first answer.
    expect((await api.post('/v1/advanced_payments', { wallet_payment: { transaction_amount: 70.5 }, payer: { token: 'CONT-payer' } }, { key })).text).toBe(answer.text);
  });

  it('acts once on two notifications of one change: one read, the second counted as a duplicate', async () => {
    const { orderId, key, answer } = await pendingPayment(api, simulator, 'CHAL');
    expect(answer.body).toMatchObject({ status: 'action_required', status_detail: 'waiting_payment' });
    await eventually(
      () => status(api, key),
      (current) => current.follow_up !== null,
    );
    // The notifications of the create and the process have been answered: the counts below are the settlement's alone.
    await eventually(
      () => simulator.notifications(orderId),
      (records) => records.length === 2 && records.every((record) => record.state === 'delivered'),
    );
    const before = await scrape(`${stack.operatorUrl}/metrics`);
    const settledAt = Date.now();

    await simulator.injectNotificationFault('duplicate');
    await simulator.settle(orderId, 'declined');

    const settled = await eventually(
      () => status(api, key),
      (current) => current.state === 'final',
    );
    expect(settled).toMatchObject({ latest: { status: 'failed' }, follow_up: { state: 'final' } });
    const sent = await eventually(
      () => simulator.notifications(orderId),
      (records) => records.some((record) => record.status === 'failed' && record.attempts >= 1 && record.state !== 'sending'),
    );
    expect(sent.filter((record) => record.status === 'failed').map((record) => record.fault)).toEqual(['duplicate']);
    const after = await scrape(`${stack.operatorUrl}/metrics`);
    const counted = (result: string) =>
      seriesValue(after, 'webhook_notifications_total', { merchant: 'default', result }) - seriesValue(before, 'webhook_notifications_total', { merchant: 'default', result });
    expect(counted('accepted')).toBe(1);
    expect(counted('duplicate')).toBe(1);
    // One read of the order after the change, though Mercado Pago said it twice.
    expect(await simulator.calls(ORDER_READ_ROUTE, orderId, settledAt)).toHaveLength(1);
  });
});

describe('a payment whose notifications are lost, settled by polling', () => {
  let stack: TestStack;
  let api: ApiClient;
  let simulator: SimulatorClient;

  beforeAll(async () => {
    stack = await TestStack.start({
      api: { FOLLOW_UP_POLL_INITIAL_MS: '500', FOLLOW_UP_POLL_MAX_INTERVAL_MS: '1000', FOLLOW_UP_HORIZON_MS: '600000' },
      notifications: { pendingSettleMs: 0 },
    });
    api = new ApiClient(stack.apiUrl);
    simulator = new SimulatorClient(stack.simulatorUrl);
  });
  afterAll(async () => stack.stop());

  it('reads the order with backoff until it finds the final state nobody notified', async () => {
    // Every notification of the order (created, processing, then processed) is lost.
    await simulator.injectNotificationFault('drop', 3);
    const { orderId, key, answer } = await pendingPayment(api, simulator, 'CONT');
    expect(answer.body).toMatchObject({ status: 'processing' });

    await simulator.settle(orderId, 'approved');

    // The run turns final with the follow-up's read; its callback outcome comes a moment later, once
    // the follow-up has looked for the client's callback URL (docs/api.md: null until then).
    const settled = await eventually(
      () => status(api, key),
      (current) => current.state === 'final' && (current.follow_up?.callback ?? null) !== null,
    );
    expect(settled).toMatchObject({ state: 'final', latest: { status: 'processed' }, follow_up: { state: 'final', notifications: 0, callback: 'not_configured' } });
    expect(settled.follow_up!.reads).toBeGreaterThanOrEqual(1);
    expect((await simulator.notifications(orderId)).map((record) => record.state)).toEqual(['dropped', 'dropped', 'dropped']);
  });
});
