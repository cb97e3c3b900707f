import { NotificationReceiver, pause, signatureParts, verifies } from '../testing/notification-receiver';
import { ACCESS_TOKEN, advancedPaymentBody, OTHER_ACCESS_TOKEN, SimulatorHarness, type AdvancedPaymentReply } from '../testing/simulator-harness';
import type { NotificationRecord } from './notification-log';

const SECRET = 'payment-webhook-secret';

/** CONT without binary_mode: a payment that stays pending until it settles. */
const pendingBody = () => advancedPaymentBody('CONT-wallet', 700.5, { binary_mode: undefined });

describe('payment notifications of Wallet Connect advanced payments', () => {
  let receiver: NotificationReceiver;
  let simulator: SimulatorHarness;

  beforeAll(async () => {
    receiver = await NotificationReceiver.start();
    simulator = await SimulatorHarness.start({ notificationUrl: receiver.url, webhookSecrets: { [ACCESS_TOKEN]: SECRET } });
  });
  afterAll(async () => {
    await simulator.close();
    await receiver.close();
  });
  // The harness's clock only moves when a test moves it, and a reset leaves it where it is.
  beforeEach(async () => {
    await simulator.reset();
    receiver.clear();
  });

  const create = (body: Record<string, unknown>, token: string = ACCESS_TOKEN) => simulator.post<AdvancedPaymentReply>('/v1/advanced_payments', { body, token });
  const chargeIdOf = (payment: AdvancedPaymentReply) => String(payment.payments[0]!.id);
  const notificationsOf = async (query: string): Promise<NotificationRecord[]> =>
    (await simulator.control<{ notifications: NotificationRecord[] }>('GET', `/notifications?${query}`)).body.notifications;
  const setNotifications = (settings: Record<string, unknown>) => simulator.control('PUT', '/notifications', settings);

  it('posts payment.created for a pending payment: type=payment, data.id the payment id, signed like order notifications', async () => {
    const nowMs = simulator.clock.nowMs();
    const created = await create(pendingBody());
    const [notification] = await receiver.waitFor(1);
    const paymentId = chargeIdOf(created.body);

    expect(paymentId).not.toBe(String(created.body.id));
    expect(notification!.path).toBe('/webhooks/mercadopago');
    expect([...notification!.query]).toEqual([
      ['data.id', paymentId],
      ['type', 'payment'],
    ]);
    expect(notification!.headers['content-type']).toBe('application/json');
    expect(notification!.body).toEqual({
      id: expect.any(Number) as number,
      action: 'payment.created',
      api_version: 'v1',
      type: 'payment',
      data: { id: paymentId },
      date_created: new Date(nowMs).toISOString(),
      live_mode: false,
      user_id: Number(created.body.disbursements[0]!.collector_id),
    });
    expect(signatureParts(notification!).ts).toBe(String(nowMs));
    expect(verifies(notification!, SECRET, 'as_sent')).toBe(true);
    expect(verifies(notification!, 'another-secret', 'as_sent')).toBe(false);
  });

  it('posts payment.updated when the settle control settles it, and the log tells topic, id and state', async () => {
    const created = await create(pendingBody());
    const [creation] = await receiver.waitFor(1);
    simulator.clock.advance(2_000);
    const settledAtMs = simulator.clock.nowMs();
    await simulator.control('POST', `/advanced-payments/${created.body.id}/settle`, { outcome: 'declined' });
    const [, settled] = await receiver.waitFor(2);
    const paymentId = chargeIdOf(created.body);

    expect([...settled!.query]).toEqual([
      ['data.id', paymentId],
      ['type', 'payment'],
    ]);
    expect(settled!.body).toMatchObject({ action: 'payment.updated', type: 'payment', data: { id: paymentId }, date_created: new Date(settledAtMs).toISOString() });
    // Each notification has an id of its own: a receiver tells a new one from a resend by it.
    expect((settled!.body as { id: number }).id).not.toBe((creation!.body as { id: number }).id);
    expect(signatureParts(settled!).ts).toBe(String(settledAtMs));
    expect(verifies(settled!, SECRET, 'as_sent')).toBe(true);
    expect(settled!.headers['x-request-id']).not.toBe(receiver.received[0]!.headers['x-request-id']);
    expect(
      (await notificationsOf(`data_id=${paymentId}`)).map(({ topic, data_id, order_id, action, status, status_detail, version }) => ({
        topic,
        data_id,
        order_id,
        action,
        status,
        status_detail,
        version,
      })),
    ).toEqual([
      { topic: 'payment', data_id: paymentId, order_id: null, action: 'payment.created', status: 'in_process', status_detail: 'pending_contingency', version: 1 },
      { topic: 'payment', data_id: paymentId, order_id: null, action: 'payment.updated', status: 'rejected', status_detail: 'cc_rejected_other_reason', version: 2 },
    ]);
  });

  it('posts payment.updated when the payment settles by itself after the delay', async () => {
    await setNotifications({ pending_settle_ms: 200 });
    const created = await create(pendingBody());
    const [atCreation, settled] = await receiver.waitFor(2);

    expect(settled!.receivedAtMs - atCreation!.receivedAtMs).toBeGreaterThanOrEqual(150);
    expect(settled!.body).toMatchObject({ action: 'payment.updated', data: { id: chargeIdOf(created.body) } });
    expect(await notificationsOf(`data_id=${chargeIdOf(created.body)}`)).toEqual([
      expect.objectContaining({ action: 'payment.created', status: 'in_process' }),
      expect.objectContaining({ action: 'payment.updated', status: 'approved', status_detail: 'accredited' }),
    ]);
  });

  it('notifies approved and rejected payments at creation; not one without a payment (FUND) nor one of a token without a secret', async () => {
    const approved = await create(advancedPaymentBody('APRO-wallet'));
    const rejected = await create(advancedPaymentBody('OTHE-wallet'));
    await create(advancedPaymentBody('FUND-wallet'));
    await create(advancedPaymentBody('APRO-wallet'), OTHER_ACCESS_TOKEN);
    await receiver.waitFor(2);
    await pause(200);

    expect(receiver.received.map(({ query, body }) => [query.get('data.id'), body.action])).toEqual([
      [chargeIdOf(approved.body), 'payment.created'],
      [chargeIdOf(rejected.body), 'payment.created'],
    ]);
    expect((await notificationsOf('')).map(({ topic, status, status_detail }) => [topic, status, status_detail])).toEqual([
      ['payment', 'approved', 'accredited'],
      ['payment', 'rejected', 'cc_rejected_other_reason'],
    ]);
  });

  it('follows the signature settings: ts in seconds, the id lower-cased (digits: the same)', async () => {
    await setNotifications({ ts_unit: 'seconds', id_case: 'lower' });
    await create(pendingBody());
    const [notification] = await receiver.waitFor(1);

    expect(signatureParts(notification!).ts).toBe(String(Math.floor(simulator.clock.nowMs() / 1000)));
    expect(verifies(notification!, SECRET, 'lower')).toBe(true);
  });

  it('takes the notification faults in turn with orders: drop, then forge', async () => {
    await simulator.control('POST', '/notification-faults', { fault: 'drop' });
    await simulator.control('POST', '/notification-faults', { fault: 'forge' });
    const dropped = await create(pendingBody());
    const forged = await create(pendingBody());
    const [notification] = await receiver.waitFor(1);
    await pause(200);

    expect(receiver.received).toHaveLength(1);
    expect(notification!.query.get('data.id')).toBe(chargeIdOf(forged.body));
    expect(verifies(notification!, SECRET, 'as_sent')).toBe(false);
    expect(await notificationsOf(`data_id=${chargeIdOf(dropped.body)}`)).toEqual([expect.objectContaining({ topic: 'payment', fault: 'drop', state: 'dropped', attempts: 0 })]);
  });

  it('lists order and payment records apart: ?order_id= finds no payment, ?data_id= finds an order by its id', async () => {
    const order = await simulator.createOrder('APRO');
    const payment = await create(pendingBody());
    await receiver.waitFor(2);

    expect(await notificationsOf(`order_id=${order.body.id}`)).toEqual([expect.objectContaining({ topic: 'order', data_id: order.body.id, order_id: order.body.id })]);
    expect(await notificationsOf(`data_id=${order.body.id}`)).toEqual(await notificationsOf(`order_id=${order.body.id}`));
    expect(await notificationsOf(`order_id=${chargeIdOf(payment.body)}`)).toEqual([]);
    expect((await notificationsOf('')).map(({ topic }) => topic)).toEqual(['order', 'payment']);
  });

  it('reset cancels a pending payment: it neither settles nor notifies afterwards', async () => {
    await setNotifications({ pending_settle_ms: 150 });
    const created = await create(pendingBody());
    await receiver.waitFor(1);
    await simulator.reset();
    await setNotifications({ pending_settle_ms: 150 });
    await pause(400);

    expect(receiver.received).toHaveLength(1);
    expect(await notificationsOf('')).toEqual([]);
    expect((await simulator.get(`/v1/advanced_payments/${created.body.id}`)).status).toBe(404);
  });
});
