import { NotificationReceiver, pause, signatureParts, verifies } from '../testing/notification-receiver';
import type { NotificationRecord } from './notification-log';
import { ACCESS_TOKEN, OTHER_ACCESS_TOKEN, orderBody, SimulatorHarness, TEST_EPOCH_MS, type OrderReply } from '../testing/simulator-harness';

/** ACCESS_TOKEN's application has a secret; OTHER_ACCESS_TOKEN's has none, so its orders are never notified. */
const SECRET = 'webhook-secret=with-an-equals-sign';

describe('order notifications', () => {
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
  beforeEach(async () => {
    await simulator.reset();
    receiver.clear();
  });

  const notificationsOf = async (orderId: string): Promise<NotificationRecord[]> =>
    (await simulator.control<{ notifications: NotificationRecord[] }>('GET', `/notifications?order_id=${orderId}`)).body.notifications;

  /** The records once none is scheduled or being sent: the receiver logs a request before it answers. */
  const finishedNotificationsOf = async (orderId: string): Promise<NotificationRecord[]> => {
    for (let polls = 0; polls < 250; polls += 1) {
      const records = await notificationsOf(orderId);
      if (records.every(({ state }) => state !== 'scheduled' && state !== 'sending')) return records;
      await pause(20);
    }
    throw new Error(`notifications of ${orderId} still unfinished`);
  };

  const setNotifications = (settings: Record<string, unknown>) => simulator.control<Record<string, unknown>>('PUT', '/notifications', settings);

  describe('message and signature', () => {
    it('posts the order change with the query, headers and body Mercado Pago sends', async () => {
      const created = await simulator.createOrder('APRO');
      const [notification] = await receiver.waitFor(1);

      expect(notification!.path).toBe('/webhooks/mercadopago');
      expect([...notification!.query]).toEqual([
        ['data.id', created.body.id],
        ['type', 'order'],
      ]);
      expect(notification!.headers['content-type']).toBe('application/json');
      expect(notification!.headers['x-request-id']).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(notification!.body).toEqual({
        action: 'order.processed',
        api_version: 'v1',
        type: 'order',
        application_id: expect.stringMatching(/^\d+$/) as unknown,
        user_id: expect.stringMatching(/^\d+$/) as unknown,
        live_mode: false,
        date_created: new Date(TEST_EPOCH_MS).toISOString(),
        // An automatic order is created (version 1) and processed (version 2) in the same call.
        data: { id: created.body.id, external_reference: 'ext_ref_1234', status: 'processed', status_detail: 'accredited', type: 'online', version: 2 },
      });
    });

    it.each([
      ['milliseconds', 'as_sent', String(TEST_EPOCH_MS)],
      ['seconds', 'as_sent', String(TEST_EPOCH_MS / 1000)],
      ['milliseconds', 'lower', String(TEST_EPOCH_MS)],
      ['seconds', 'lower', String(TEST_EPOCH_MS / 1000)],
    ] as const)('signs with ts in %s and the id %s', async (tsUnit, idCase, expectedTs) => {
      expect((await setNotifications({ ts_unit: tsUnit, id_case: idCase })).body).toEqual({ ts_unit: tsUnit, id_case: idCase, pending_settle_ms: 5000 });
      await simulator.createOrder('APRO');
      const [notification] = await receiver.waitFor(1);

      expect(signatureParts(notification!).ts).toBe(expectedTs);
      expect(verifies(notification!, SECRET, idCase)).toBe(true);
      // Order ids are uppercase, so the other id case, or another secret, gives another signature.
      expect(verifies(notification!, SECRET, idCase === 'lower' ? 'as_sent' : 'lower')).toBe(false);
      expect(verifies(notification!, 'another-secret', idCase)).toBe(false);
    });

    it('notifies every change of a manual order, with its action and a growing version', async () => {
      const created = await simulator.createOrder('APRO', { processing_mode: 'manual', capture_mode: 'manual', external_reference: undefined });
      const orderId = created.body.id;
      await receiver.waitFor(1);
      await simulator.post(`/v1/orders/${orderId}/process`);
      await receiver.waitFor(2);
      await simulator.post(`/v1/orders/${orderId}/capture`);
      await receiver.waitFor(3);
      await simulator.post(`/v1/orders/${orderId}/refund`, {
        body: { transactions: [{ id: (await simulator.get<OrderReply>(`/v1/orders/${orderId}`)).body.transactions!.payments[0]!.id, amount: '50.00' }] },
      });
      await simulator.post(`/v1/orders/${orderId}/refund`);
      const notifications = await receiver.waitFor(5);

      expect(notifications.map(({ body }) => [body.action, (body.data as Record<string, unknown>).status_detail, (body.data as Record<string, unknown>).version])).toEqual([
        ['order.created', 'created', 1],
        ['order.action_required', 'waiting_capture', 2],
        ['order.processed', 'accredited', 3],
        ['order.processed', 'partially_refunded', 4],
        ['order.processed', 'refunded', 5],
      ]);
      expect(notifications.every(({ body }) => !('external_reference' in (body.data as Record<string, unknown>)))).toBe(true);
      expect(notifications.every((notification) => verifies(notification, SECRET, 'as_sent'))).toBe(true);
      expect((await finishedNotificationsOf(orderId)).map(({ state, attempts, last_status }) => [state, attempts, last_status])).toEqual(Array(5).fill(['delivered', 1, 200]));
    });

    it('notifies a cancellation, and nothing for a replay or a read', async () => {
      const created = await simulator.createOrder('APRO', { processing_mode: 'manual' });
      await simulator.post(`/v1/orders/${created.body.id}/cancel`, { key: 'cancel-once' });
      await simulator.post(`/v1/orders/${created.body.id}/cancel`, { key: 'cancel-once' });
      await simulator.get(`/v1/orders/${created.body.id}`);
      await receiver.waitFor(2);
      await pause(200);

      expect(receiver.received.map(({ body }) => body.action)).toEqual(['order.created', 'order.canceled']);
    });

    it('answers the API call without waiting for the receiver', async () => {
      receiver.answerAfter(1_500);
      const created = await simulator.createOrder('APRO');
      const answeredAtMs = Date.now();
      const [notification] = await receiver.waitFor(1);

      // An order: the API answered before the receiver did (it answers 1.5 s after it was reached).
      expect(answeredAtMs).toBeLessThan(notification!.receivedAtMs + 1_500);
      expect(await notificationsOf(created.body.id)).toEqual([expect.objectContaining({ state: 'sending', attempts: 1, last_status: null })]);
    });

    it('retries a notification the receiver refused, and records each attempt', async () => {
      receiver.answerNext(500);
      const created = await simulator.createOrder('APRO');
      const notifications = await receiver.waitFor(2);

      expect(notifications[1]!.headers['x-request-id']).toBe(notifications[0]!.headers['x-request-id']);
      expect(notifications[1]!.receivedAtMs - notifications[0]!.receivedAtMs).toBeGreaterThanOrEqual(900);
      expect(await finishedNotificationsOf(created.body.id)).toEqual([expect.objectContaining({ state: 'delivered', attempts: 2, last_status: 200, last_error: null })]);
    });

    it('gives up after three attempts, recording the last status', async () => {
      receiver.answerNext(503, 503, 503);
      const created = await simulator.createOrder('APRO');
      await receiver.waitFor(3);
      await pause(100);

      expect(await finishedNotificationsOf(created.body.id)).toEqual([expect.objectContaining({ state: 'failed', attempts: 3, last_status: 503 })]);
      await pause(1_200);
      expect(receiver.received).toHaveLength(3);
    });

    it('rejects bad settings and keeps the current ones', async () => {
      const reply = await setNotifications({ ts_unit: 'minutes', pending_settle_ms: -1 });
      expect(reply.status).toBe(400);
      expect(reply.body).toEqual({ error: 'invalid_notification_settings', message: expect.stringContaining('ts_unit') as unknown });
      expect((await setNotifications({})).body).toEqual({ ts_unit: 'milliseconds', id_case: 'as_sent', pending_settle_ms: 5000 });
    });
  });

  describe('orders that wait', () => {
    it('notifies a CONT order at processing and again when it settles after the delay', async () => {
      await setNotifications({ pending_settle_ms: 300 });
      // The delay runs from the create, so it is measured from before the request: the first
      // notification may itself arrive late on a loaded machine.
      const createdAtMs = Date.now();
      const created = await simulator.createOrder('CONT');
      expect(created.body.status).toBe('processing');
      const [atProcessing] = await receiver.waitFor(1);
      expect(atProcessing!.body).toMatchObject({ action: 'order.processing', data: { status: 'processing', status_detail: 'in_process', version: 2 } });

      const [, settled] = await receiver.waitFor(2);
      expect(settled!.receivedAtMs - createdAtMs).toBeGreaterThanOrEqual(250);
      expect(settled!.body).toMatchObject({ action: 'order.processed', data: { status: 'processed', status_detail: 'accredited', version: 3 } });
      const order = await simulator.get<OrderReply>(`/v1/orders/${created.body.id}`);
      expect([order.body.status, order.body.status_detail, order.body.transactions!.payments[0]!.status_detail]).toEqual(['processed', 'accredited', 'accredited']);
    });

    it('settles a manual-capture CONT order to waiting_capture', async () => {
      await setNotifications({ pending_settle_ms: 100 });
      const created = await simulator.createOrder('CONT', { capture_mode: 'manual' });
      const [, settled] = await receiver.waitFor(2);

      expect(settled!.body).toMatchObject({ action: 'order.action_required', data: { status: 'action_required', status_detail: 'waiting_capture' } });
      expect((await simulator.post<OrderReply>(`/v1/orders/${created.body.id}/capture`)).body.status).toBe('processed');
    });

    it('leaves a CONT order waiting when the delay is 0', async () => {
      await setNotifications({ pending_settle_ms: 0 });
      const created = await simulator.createOrder('CONT');
      await receiver.waitFor(1);
      await pause(300);

      expect((await simulator.get<OrderReply>(`/v1/orders/${created.body.id}`)).body.status).toBe('processing');
      expect(receiver.received).toHaveLength(1);
    });

    it('CHAL waits at action_required/waiting_payment until the settle control approves it', async () => {
      await setNotifications({ pending_settle_ms: 100 });
      const created = await simulator.createOrder('CHAL');
      expect([created.status, created.body.status, created.body.status_detail, created.body.transactions!.payments[0]!.status_detail]).toEqual([
        201,
        'action_required',
        'waiting_payment',
        'waiting_payment',
      ]);
      await pause(300);
      expect(receiver.received.map(({ body }) => body.action)).toEqual(['order.action_required']);

      const settled = await simulator.control<OrderReply>('POST', `/orders/${created.body.id}/settle`, { outcome: 'approved' });
      expect(settled.status).toBe(200);
      const read = await simulator.get<OrderReply>(`/v1/orders/${created.body.id}`);
      expect(settled.body).toEqual(read.body);
      expect([read.body.status, read.body.status_detail]).toEqual(['processed', 'accredited']);
      const [, notification] = await receiver.waitFor(2);
      expect(notification!.body).toMatchObject({ action: 'order.processed', data: { status: 'processed', status_detail: 'accredited', version: 3 } });
    });

    it('the settle control declines a waiting order', async () => {
      const created = await simulator.createOrder('CHAL', { processing_mode: 'manual' });
      await simulator.post(`/v1/orders/${created.body.id}/process`);
      const settled = await simulator.control<OrderReply>('POST', `/orders/${created.body.id}/settle`, { outcome: 'declined' });

      expect([settled.status, settled.body.status, settled.body.status_detail]).toEqual([200, 'failed', 'failed']);
      expect(settled.body.transactions!.payments[0]).toMatchObject({ status: 'failed', status_detail: 'rejected_by_issuer' });
      const notifications = await receiver.waitFor(3);
      expect(notifications[2]!.body).toMatchObject({ action: 'order.failed', data: { status: 'failed', status_detail: 'failed', version: 3 } });
    });

    it('the settle control also settles a CONT order before its delay', async () => {
      const created = await simulator.createOrder('CONT');
      const settled = await simulator.control<OrderReply>('POST', `/orders/${created.body.id}/settle`, { outcome: 'approved' });
      expect([settled.status, settled.body.status]).toEqual([200, 'processed']);
    });

    it('the settle control answers 404 for an unknown order, 409 for one not waiting, 400 for a bad outcome', async () => {
      const unknown = await simulator.control<{ error: string }>('POST', '/orders/ORD01J49MMW3SSBK5PSV3DFR32959/settle', { outcome: 'approved' });
      expect([unknown.status, unknown.body.error]).toEqual([404, 'order_not_found']);

      const processed = await simulator.createOrder('APRO');
      const notWaiting = await simulator.control<{ error: string }>('POST', `/orders/${processed.body.id}/settle`, { outcome: 'approved' });
      expect([notWaiting.status, notWaiting.body.error]).toEqual([409, 'order_not_waiting']);

      const waiting = await simulator.createOrder('CHAL');
      const bad = await simulator.control<{ error: string }>('POST', `/orders/${waiting.body.id}/settle`, { outcome: 'maybe' });
      expect([bad.status, bad.body.error]).toEqual([400, 'invalid_settlement']);
      expect((await simulator.get<OrderReply>(`/v1/orders/${waiting.body.id}`)).body.status).toBe('action_required');
    });

    it('reset cancels a delayed notification and clears the list, the faults and the settings', async () => {
      await setNotifications({ ts_unit: 'seconds', pending_settle_ms: 100 });
      await simulator.control('POST', '/notification-faults', { fault: 'delay', delay_ms: 300 });
      await simulator.control('POST', '/notification-faults', { fault: 'drop', times: 5 });
      await simulator.createOrder('APRO');
      await simulator.reset();
      await pause(500);

      expect(receiver.received).toHaveLength(0);
      expect((await simulator.control<{ notifications: unknown[] }>('GET', '/notifications')).body.notifications).toEqual([]);
      expect((await simulator.control<{ faults: unknown[] }>('GET', '/notification-faults')).body.faults).toEqual([]);
      expect((await setNotifications({})).body).toEqual({ ts_unit: 'milliseconds', id_case: 'as_sent', pending_settle_ms: 5000 });
    });
  });

  describe('faults', () => {
    const addFault = async (fault: Record<string, unknown>) => {
      const reply = await simulator.control('POST', '/notification-faults', fault);
      expect(reply.status).toBe(201);
    };

    it('drop: the next notification is listed but never sent', async () => {
      await addFault({ fault: 'drop' });
      const dropped = await simulator.createOrder('APRO');
      const sent = await simulator.createOrder('APRO');
      const [notification] = await receiver.waitFor(1);
      await pause(200);

      expect(receiver.received).toHaveLength(1);
      expect(notification!.query.get('data.id')).toBe(sent.body.id);
      expect(await notificationsOf(dropped.body.id)).toEqual([expect.objectContaining({ fault: 'drop', state: 'dropped', attempts: 0, last_status: null })]);
    });

    it('duplicate: the identical request arrives twice', async () => {
      await addFault({ fault: 'duplicate' });
      const created = await simulator.createOrder('APRO');
      const [first, second] = await receiver.waitFor(2);

      expect(second!.headers['x-request-id']).toBe(first!.headers['x-request-id']);
      expect(second!.headers['x-signature']).toBe(first!.headers['x-signature']);
      expect(second!.body).toEqual(first!.body);
      expect(verifies(second!, SECRET, 'as_sent')).toBe(true);
      expect(await finishedNotificationsOf(created.body.id)).toEqual([expect.objectContaining({ fault: 'duplicate', state: 'delivered', attempts: 2 })]);
    });

    it('delay: the notification arrives after delay_ms', async () => {
      await addFault({ fault: 'delay', delay_ms: 400 });
      const started = Date.now();
      const created = await simulator.createOrder('APRO');
      expect(await notificationsOf(created.body.id)).toEqual([expect.objectContaining({ fault: 'delay', state: 'scheduled', attempts: 0 })]);
      const [notification] = await receiver.waitFor(1);

      expect(notification!.receivedAtMs - started).toBeGreaterThanOrEqual(400);
      expect(verifies(notification!, SECRET, 'as_sent')).toBe(true);
    });

    it('forge: the notification is signed with a wrong secret, in the right format', async () => {
      await addFault({ fault: 'forge', times: 2 });
      const orderIds: string[] = [];
      for (let index = 0; index < 3; index += 1) orderIds.push((await simulator.createOrder('APRO')).body.id);
      const notifications = await receiver.waitFor(3);
      const notificationOf = (orderId: string) => notifications.find(({ query }) => query.get('data.id') === orderId)!;

      expect(orderIds.map((orderId) => verifies(notificationOf(orderId), SECRET, 'as_sent'))).toEqual([false, false, true]);
      expect(signatureParts(notificationOf(orderIds[0]!))).toEqual({ ts: String(TEST_EPOCH_MS), v1: expect.stringMatching(/^[0-9a-f]{64}$/) as unknown });
      expect(await finishedNotificationsOf(orderIds[0]!)).toEqual([expect.objectContaining({ fault: 'forge', state: 'delivered' })]);
    });

    it('applies faults in order, then lists and deletes what is left', async () => {
      await addFault({ fault: 'drop' });
      await addFault({ fault: 'delay', delay_ms: 10, times: 3 });
      await simulator.createOrder('APRO');
      expect((await simulator.control('GET', '/notification-faults')).body).toEqual({ faults: [{ fault: 'delay', delay_ms: 10, remaining: 3 }] });
      expect((await simulator.control('DELETE', '/notification-faults')).body).toEqual({ deleted: 1 });
      expect((await simulator.control('GET', '/notification-faults')).body).toEqual({ faults: [] });
    });

    it.each([[{ fault: 'explode' }], [{ fault: 'delay' }], [{ fault: 'delay', delay_ms: 60_001 }], [{ fault: 'drop', delay_ms: 10 }], [{ fault: 'drop', times: 0 }]])(
      'refuses %j',
      async (body) => {
        const reply = await simulator.control<{ error: string }>('POST', '/notification-faults', body);
        expect([reply.status, reply.body.error]).toEqual([400, 'invalid_notification_fault']);
      },
    );
  });

  it('sends nothing for an order whose access token has no webhook secret', async () => {
    const unsigned = await simulator.post<OrderReply>('/v1/orders', { body: orderBody(await simulator.cardToken('APRO', OTHER_ACCESS_TOKEN)), token: OTHER_ACCESS_TOKEN });
    expect(unsigned.status).toBe(201);
    const signed = await simulator.createOrder('APRO');
    await receiver.waitFor(1);
    await pause(200);

    expect(receiver.received.map(({ query }) => query.get('data.id'))).toEqual([signed.body.id]);
    expect(await notificationsOf(unsigned.body.id)).toEqual([]);
  });
});

describe('order notifications to a receiver that is not there', () => {
  it('are not sent without a URL', async () => {
    const simulator = await SimulatorHarness.start({ webhookSecrets: { [ACCESS_TOKEN]: SECRET }, pendingSettleMs: 50 });
    try {
      const created = await simulator.createOrder('CONT');
      await pause(300);
      // The order still settles by itself; only the notifications are off.
      expect((await simulator.get<OrderReply>(`/v1/orders/${created.body.id}`)).body.status).toBe('processed');
      expect((await simulator.control<{ notifications: unknown[] }>('GET', '/notifications')).body.notifications).toEqual([]);
    } finally {
      await simulator.close();
    }
  });

  it('record the network error after three attempts when nobody listens', async () => {
    const gone = await NotificationReceiver.start();
    const url = gone.url;
    await gone.close();
    const simulator = await SimulatorHarness.start({ notificationUrl: url, webhookSecrets: { [ACCESS_TOKEN]: SECRET } });
    try {
      const created = await simulator.createOrder('APRO');
      await pause(2_500);
      expect(await simulator.control<{ notifications: NotificationRecord[] }>('GET', `/notifications?order_id=${created.body.id}`)).toMatchObject({
        body: { notifications: [{ state: 'failed', attempts: 3, last_status: null, last_error: expect.stringContaining('ECONNREFUSED') as unknown }] },
      });
    } finally {
      await simulator.close();
    }
  });
});
