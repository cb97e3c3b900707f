import { randomUUID } from 'node:crypto';
import { decodeFromPayloadsAtIndex } from '@temporalio/common/lib/internal-non-workflow';
import type { Client } from '@temporalio/client';
import {
  ADVANCED_PAYMENT_FOLLOW_UP_WORKFLOW,
  followUpStateQuery,
  notifiedFollowUpWorkflowId,
  orderFollowUpWorkflowId,
  ORDER_FOLLOW_UP_WORKFLOW,
  type UpstreamNotification,
} from '@app/contracts';
import { freePort } from '../../scripts/lib/free-port';
import { ApiClient, errorCode, newKey, type ApiAnswer } from '../support/api-client';
import { orderNotificationBody, paymentNotificationBody, randomOrderId, randomPaymentId, sendNotification, type NotificationOptions } from '../support/mercadopago-notifications';
import { scrape, seriesValue } from '../support/prometheus-text';
import { SimulatorClient } from '../support/simulator-client';
import { SECOND_MERCHANT, TestStack, WEBHOOK_SECRET } from '../support/stack';
import { eventually, runExists } from '../support/temporal-assertions';

const HOUR_MS = 60 * 60 * 1000;
/** FOLLOW_UP_MIN_NOTIFIED_READ_INTERVAL_MS of this stack: short, so the test waits little. */
const MIN_NOTIFIED_READ_INTERVAL_MS = 2_000;
const ORDER_READ_ROUTE = '/v1/orders/{id}';
const RESULTS = ['accepted', 'bad_signature', 'stale', 'duplicate', 'unknown_order', 'unknown_payment', 'ignored_topic', 'unavailable'] as const;

/**
 * POST /webhooks/mercadopago on the real API, Temporal dev server and simulator: what a
 * notification must carry to be taken in, that nothing happens when it does not, and where a
 * taken one goes. The follow-up workflow itself is tested with it (libs/workflows); here a
 * stand-in run, which no worker runs, holds the follow-up's ID so its history shows the signals,
 * except where a real follow-up's reads are counted (polls an hour apart: only notifications read).
 */
describe('notifications from Mercado Pago (POST /webhooks/mercadopago)', () => {
  let stack: TestStack;
  let simulator: SimulatorClient;
  let namespaces: { default: Client; second: Client };
  const standIns: { client: Client; workflowId: string }[] = [];

  beforeAll(async () => {
    stack = await TestStack.start({
      api: {
        FOLLOW_UP_POLL_INITIAL_MS: String(HOUR_MS),
        FOLLOW_UP_POLL_MAX_INTERVAL_MS: String(HOUR_MS),
        FOLLOW_UP_HORIZON_MS: String(24 * HOUR_MS),
        FOLLOW_UP_MIN_NOTIFIED_READ_INTERVAL_MS: String(MIN_NOTIFIED_READ_INTERVAL_MS),
      },
    });
    simulator = new SimulatorClient(stack.simulatorUrl);
    namespaces = { default: stack.temporal, second: stack.temporalIn(SECOND_MERCHANT.namespace) };
  });
  afterAll(async () => {
    for (const { client, workflowId } of standIns) await client.workflow.getHandle(workflowId).terminate('test over');
    await stack.stop();
  });

  const send = (options: NotificationOptions = {}) => sendNotification(stack.apiUrl, options);
  const counts = async (): Promise<Record<string, number>> => {
    const page = await scrape(`${stack.operatorUrl}/metrics`);
    const merchants = ['', 'default', SECOND_MERCHANT.name];
    return Object.fromEntries(
      merchants.flatMap((merchant) => RESULTS.map((result) => [`${merchant}/${result}`, seriesValue(page, 'webhook_notifications_total', { merchant, result })])),
    );
  };
  /** How each count moved while `act` ran; counts that did not move are left out. */
  const countedDuring = async (act: () => Promise<unknown>): Promise<Record<string, number>> => {
    const before = await counts();
    await act();
    const after = await counts();
    return Object.fromEntries(Object.entries(after).flatMap(([series, value]) => (value === before[series] ? [] : [[series, value - before[series]!]])));
  };

  /** A run holding the order's (or, with `topic` payment, the payment's) follow-up ID in the merchant's namespace, on a task queue nobody polls. */
  async function standInFollowUp(client: Client, dataId: string, topic: 'order' | 'payment' = 'order'): Promise<void> {
    const workflowId = notifiedFollowUpWorkflowId(topic, dataId);
    const workflowType = topic === 'order' ? ORDER_FOLLOW_UP_WORKFLOW : ADVANCED_PAYMENT_FOLLOW_UP_WORKFLOW;
    await client.workflow.start(workflowType, { workflowId, taskQueue: `webhook-e2e-nobody-polls-${randomUUID()}`, args: [] });
    standIns.push({ client, workflowId });
  }

  async function signalsReceived(client: Client, dataId: string, topic: 'order' | 'payment' = 'order'): Promise<UpstreamNotification[]> {
    const history = await client.workflow.getHandle(notifiedFollowUpWorkflowId(topic, dataId)).fetchHistory();
    const signals = (history.events ?? []).flatMap((event) => (event.workflowExecutionSignaledEventAttributes ? [event.workflowExecutionSignaledEventAttributes] : []));
    return Promise.all(
      signals.map(async ({ signalName, input }) => {
        expect(signalName).toBe(`${topic}Notification`);
        return decodeFromPayloadsAtIndex<UpstreamNotification>(client.options.loadedDataConverter, 0, input?.payloads);
      }),
    );
  }

  /** The notification was refused as `code`, and left no trace: no follow-up in any namespace, no upstream call. */
  async function expectRefusedWithoutEffect(answer: ApiAnswer, code: string, orderId: string, since: number): Promise<void> {
    expect({ status: answer.status, code: errorCode(answer) }).toEqual({ status: 401, code });
    expect(await runExists(namespaces.default, orderFollowUpWorkflowId(orderId))).toBe(false);
    expect(await runExists(namespaces.second, orderFollowUpWorkflowId(orderId))).toBe(false);
    expect(await simulator.calls(null, orderId, since)).toEqual([]);
  }

  it('refuses forged, foreign, stale and unsigned notifications with 401, and does nothing for them', async () => {
    const since = Date.now();
    const cases: [string, NotificationOptions, string][] = [
      ['forged', { signature: `ts=${Math.floor(Date.now() / 1000)},v1=${'ab'.repeat(32)}` }, 'invalid_signature'],
      ['signed with a secret no merchant has', { secret: 'a-secret-of-another-application' }, 'invalid_signature'],
      ['signed an hour ago, ts in seconds', { ts: String(Math.floor((Date.now() - HOUR_MS) / 1000)) }, 'stale_signature'],
      ['signed an hour ago, ts in milliseconds', { ts: String(Date.now() - HOUR_MS) }, 'stale_signature'],
      ['signed an hour ahead', { ts: String(Date.now() + HOUR_MS) }, 'stale_signature'],
      ['without x-signature', { signature: null }, 'invalid_signature'],
      ['with a malformed x-signature', { signature: 'v1=abc' }, 'invalid_signature'],
    ];
    for (const [name, options, code] of cases) {
      const orderId = randomOrderId();
      // An order someone follows is not signalled either.
      await standInFollowUp(namespaces.default, orderId);
      const answer = await send({ ...options, orderId });
      expect({ name, status: answer.status, code: errorCode(answer) }).toEqual({ name, status: 401, code });
      expect({ name, signals: await signalsReceived(namespaces.default, orderId) }).toEqual({ name, signals: [] });
    }
    for (const [, options, code] of cases) {
      const orderId = randomOrderId();
      await expectRefusedWithoutEffect(await send({ ...options, orderId }), code, orderId, since);
    }
  });

  it('refuses a forged notification before reading its body, even one that is not JSON', async () => {
    const orderId = randomOrderId();
    const answer = await send({ orderId, signature: null, body: { contentType: 'application/json', text: '{"action":' } });
    await expectRefusedWithoutEffect(answer, 'invalid_signature', orderId, Date.now() - 1000);
  });

  it('answers 200 unknown_order for a valid notification about an order nobody follows, for each merchant, and starts nothing', async () => {
    const since = Date.now();
    for (const secret of [undefined, SECOND_MERCHANT.webhookSecret]) {
      const orderId = randomOrderId();
      const answer = await send({ orderId, secret });
      expect({ status: answer.status, body: answer.body }).toEqual({ status: 200, body: { result: 'unknown_order' } });
      expect(await runExists(namespaces.default, orderFollowUpWorkflowId(orderId))).toBe(false);
      expect(await runExists(namespaces.second, orderFollowUpWorkflowId(orderId))).toBe(false);
      expect(await simulator.calls(null, orderId, since)).toEqual([]);
    }
  });

  it('answers 200 unknown_order when data.id is missing or not an order id', async () => {
    expect((await send({ orderId: undefined })).body).toEqual({ result: 'unknown_order' });
    expect((await send({ orderId: 'PAY01J67CQQH5904WDBVZEM4JMEP3' })).body).toEqual({ result: 'unknown_order' });
  });

  it('answers 200 ignored_topic for another topic, even about a followed order, without signalling it', async () => {
    const orderId = randomOrderId();
    await standInFollowUp(namespaces.default, orderId);
    const answer = await send({ orderId, topic: 'mp-connect' });
    expect({ status: answer.status, body: answer.body }).toEqual({ status: 200, body: { result: 'ignored_topic' } });
    expect(await signalsReceived(namespaces.default, orderId)).toEqual([]);
  });

  it("signals a Wallet Connect payment's follow-up on topic payment, once per notification, and answers unknown_payment when none follows it", async () => {
    const paymentId = randomPaymentId();
    await standInFollowUp(namespaces.default, paymentId, 'payment');
    const notify = (notificationId: number) => send({ orderId: paymentId, topic: 'payment', body: paymentNotificationBody(paymentId, notificationId) });

    expect((await notify(81_234)).body).toEqual({ result: 'accepted' });
    // Mercado Pago's resend keeps the notification's id; a new notification has a new one.
    expect((await notify(81_234)).body).toEqual({ result: 'duplicate' });
    expect((await notify(81_235)).body).toEqual({ result: 'accepted' });
    expect((await signalsReceived(namespaces.default, paymentId, 'payment')).map(({ change }) => change)).toEqual(['payment.updated||||81234', 'payment.updated||||81235']);
    // The same payment id on topic order is not this follow-up's: order ids are never numeric.
    expect((await send({ orderId: paymentId, topic: 'order' })).body).toEqual({ result: 'unknown_order' });

    const unfollowed = randomPaymentId();
    expect((await send({ orderId: unfollowed, topic: 'payment', body: paymentNotificationBody(unfollowed, 1) })).body).toEqual({ result: 'unknown_payment' });
    expect(await runExists(namespaces.default, notifiedFollowUpWorkflowId('payment', unfollowed))).toBe(false);
    expect((await send({ orderId: randomOrderId(), topic: 'payment' })).body).toEqual({ result: 'unknown_payment' });
  });

  it('accepts ts in seconds or milliseconds, and data.id signed as sent or lower-cased', async () => {
    const variants: [string, (orderId: string) => NotificationOptions][] = [
      ['ts in seconds', () => ({ ts: String(Math.floor(Date.now() / 1000)) })],
      ['ts in milliseconds', () => ({ ts: String(Date.now()) })],
      ['data.id as sent', (orderId) => ({ signedId: orderId })],
      ['data.id lower-cased', (orderId) => ({ signedId: orderId.toLowerCase() })],
    ];
    for (const [variant, options] of variants) {
      const orderId = randomOrderId();
      const answer = await send({ ...options(orderId), orderId });
      expect({ variant, status: answer.status, body: answer.body }).toEqual({ variant, status: 200, body: { result: 'unknown_order' } });
    }
  });

  it("signals the order's follow-up in the namespace of the merchant whose secret signed it, once per change", async () => {
    const orderId = randomOrderId();
    await standInFollowUp(namespaces.second, orderId);
    const notify = (version: number, requestId = randomUUID()) =>
      send({ orderId, secret: SECOND_MERCHANT.webhookSecret, requestId, body: orderNotificationBody(orderId, 'processed', version) });

    expect((await notify(3)).body).toEqual({ result: 'accepted' });
    // Mercado Pago's resend of the same change: a new request id, the same body.
    expect((await notify(3)).body).toEqual({ result: 'duplicate' });
    expect((await notify(4)).body).toEqual({ result: 'accepted' });

    const signals = await signalsReceived(namespaces.second, orderId);
    expect(signals.map(({ change }) => change)).toEqual(['order.processed|processed|accredited|3|', 'order.processed|processed|accredited|4|']);
    for (const { receivedAt } of signals) expect(Math.abs(Date.parse(receivedAt) - Date.now())).toBeLessThan(60_000);
    // The first merchant's namespace has no such follow-up: the order is not its.
    expect(await runExists(namespaces.default, orderFollowUpWorkflowId(orderId))).toBe(false);
  });

  it('takes a validly signed body that is not JSON, naming the change by its request id', async () => {
    const orderId = randomOrderId();
    await standInFollowUp(namespaces.default, orderId);
    const requestId = randomUUID();
    const notify = () => send({ orderId, requestId, body: { contentType: 'text/plain', text: 'not json' } });
    expect((await notify()).body).toEqual({ result: 'accepted' });
    expect((await notify()).body).toEqual({ result: 'duplicate' });
    expect((await signalsReceived(namespaces.default, orderId)).map(({ change }) => change)).toEqual([`request:${requestId}`]);
  });

  it("one signed notification, replayed with other bodies to two API instances, signals once and reads once; Mercado Pago's next notification reads again, no sooner than the minimum interval", async () => {
    const api = new ApiClient(stack.apiUrl);
    // A 3-D Secure challenge: the order waits on its buyer, and nothing settles it during the test.
    const orderId = await simulator.createOrder('CHAL');
    expect((await api.processOrder(orderId, { key: newKey() })).body).toMatchObject({ status: 'action_required', status_detail: 'waiting_payment' });
    const followUp = namespaces.default.workflow.getHandle(orderFollowUpWorkflowId(orderId));
    await eventually(
      () => runExists(namespaces.default, followUp.workflowId),
      (exists) => exists,
    );
    const other = await stack.startApi(await freePort());
    const since = Date.now();

    // The same signed headers each time (data.id, x-request-id, ts), each time with a body naming another change.
    const captured = { orderId, requestId: randomUUID(), ts: String(Math.floor(Date.now() / 1000)) };
    const results: unknown[] = [];
    for (let version = 1; version <= 10; version += 1) {
      const apiUrl = version % 2 === 0 ? other.url : stack.apiUrl;
      results.push((await sendNotification(apiUrl, { ...captured, body: orderNotificationBody(orderId, 'processed', version) })).body);
    }
    // Each instance passes it on once; the follow-up acts on it once.
    expect(results.slice(0, 2)).toEqual([{ result: 'accepted' }, { result: 'accepted' }]);
    expect(results.slice(2)).toEqual(Array.from({ length: 8 }, () => ({ result: 'duplicate' })));
    const once = await eventually(
      () => followUp.query(followUpStateQuery),
      (state) => state.reads >= 1,
    );
    expect(once).toMatchObject({ notifications: 2, duplicateNotifications: 1, reads: 1 });
    const [firstRead, ...more] = await simulator.calls(ORDER_READ_ROUTE, orderId, since);
    expect(more).toEqual([]);

    // Mercado Pago's next notification is signed anew: it reads again, once the interval has passed.
    expect((await send({ orderId, body: orderNotificationBody(orderId, 'processed', 11) })).body).toEqual({ result: 'accepted' });
    await eventually(
      () => followUp.query(followUpStateQuery),
      (state) => state.reads >= 2,
    );
    const reads = await simulator.calls(ORDER_READ_ROUTE, orderId, since);
    expect(reads).toHaveLength(2);
    expect(Date.parse(reads[1]!.time) - Date.parse(firstRead!.time)).toBeGreaterThanOrEqual(MIN_NOTIFIED_READ_INTERVAL_MS);
  });

  it('counts notifications by merchant and result on the operator port', async () => {
    const followed = randomOrderId();
    await standInFollowUp(namespaces.default, followed);
    const moved = await countedDuring(async () => {
      await send({ signature: null });
      await send({ secret: 'a-secret-of-another-application' });
      await send({ ts: String(Date.now() - HOUR_MS) });
      await send({ secret: SECOND_MERCHANT.webhookSecret, ts: String(Date.now() - HOUR_MS) });
      await send({ topic: 'mp-connect' });
      await send({ topic: 'payment' });
      await send({ secret: SECOND_MERCHANT.webhookSecret });
      await send({ orderId: followed });
      await send({ orderId: followed });
    });
    expect(moved).toEqual({
      '/bad_signature': 2,
      'default/stale': 1,
      'second/stale': 1,
      'default/ignored_topic': 1,
      'default/unknown_payment': 1,
      'second/unknown_order': 1,
      'default/accepted': 1,
      'default/duplicate': 1,
    });
  });

  it('logs each notification with its result, never a signature or a secret', async () => {
    const orderId = randomOrderId();
    await send({ orderId, secret: SECOND_MERCHANT.webhookSecret });
    const logged = await eventually(
      () => Promise.resolve(stack.output.filter((line) => line.includes('"notification '))),
      (lines) => lines.some((line) => line.includes(orderId)),
    );

    expect(logged.find((line) => line.includes(orderId))).toMatch(/"result":"unknown_order".*"merchant":"second"/);
    for (const secret of [WEBHOOK_SECRET, SECOND_MERCHANT.webhookSecret, 'v1=']) expect(stack.output.filter((line) => line.includes(secret))).toEqual([]);
  });
});
