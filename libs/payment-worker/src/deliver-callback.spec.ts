import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApplicationFailure } from '@temporalio/activity';
import { CALLBACK_REFUSED, CALLBACK_UNANSWERED, NO_UPSTREAM_PAUSE, type CallbackBatch, type CallbackDelivery, type CallbackEvent } from '@app/contracts';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger, type LogEntry } from '@temporalio/worker';
import { PaymentActivitiesService, type CallbackLimits } from './payment-activities.service';
import type { ClientCallback, MerchantAccount } from '@app/config';
import { eventually } from '../../../test/support/temporal-assertions';
import { UpstreamHttpClient } from './upstream-http-client';
import { WorkerMetrics } from './worker-metrics';

/** One POST as the receiver saw it: the raw body, as a checkout service must verify it. */
interface Received {
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}

type Answer = (response: ServerResponse) => void;

const SHOP_SECRET = 'shop-secret-0123456789abcdef0123456789';
const OFFICE_SECRET = 'office-secret-0123456789abcdef01234567';
const ACME_SECRET = 'acme-secret-0123456789abcdef012345678';
/** The worker's callback bounds; a hand-over is not made here (it needs a Temporal client: test/workflow-runs/client-callbacks.timeskip-spec.ts). */
const LIMITS: CallbackLimits = { CALLBACK_MAX_CONCURRENT_PER_CLIENT: 4, CALLBACK_ATTEMPT_TIMEOUT_MS: 5_000, CALLBACK_HAND_OVERS_PER_SIGNAL: 1 };
/** What the receiver answers with: it must never reach a failure's message or the logs. */
const RECEIVER_BODY = 'receiver-private-answer';

/**
 * The receiver's own check, as docs/api.md ("Callbacks") tells a checkout service to make it:
 * HMAC-SHA256 over `${t}.${raw body}` with the client's secret, compared in constant time.
 */
function verifiedTimestamp(received: Received, secret: string): number | null {
  const match = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(String(received.headers['x-orchestrator-signature']));
  if (match === null) return null;
  const expected = createHmac('sha256', secret).update(`${match[1]}.${received.body}`).digest();
  return timingSafeEqual(expected, Buffer.from(match[2]!, 'hex')) ? Number(match[1]) : null;
}

describe('deliverCallback against a loopback receiver', () => {
  let server: Server;
  let base: string;
  let received: Received[];
  let answer: Answer;
  let metrics: WorkerMetrics;
  let logs: LogEntry[];
  let activities: ReturnType<PaymentActivitiesService['forMerchant']>;
  let service: PaymentActivitiesService;
  let merchant: MerchantAccount;

  const event: CallbackEvent = {
    id: 'event-1',
    type: 'payment_run.final',
    created_at: '2026-01-02T03:04:05.000Z',
    idempotency_key: 'key-1',
    order_id: 'ORD01',
    state: 'final',
    order: { id: 'ORD01', status: 'processed', status_detail: 'accredited' },
  };
  const delivery = (clientId: string, timeoutMs = 2_000): CallbackDelivery => ({ clientId, event, timeoutMs });
  const callback = (path: string, secret: string): ClientCallback => ({ url: new URL(`${base}${path}`), secret });
  const deliver = (request: CallbackDelivery) =>
    new MockActivityEnvironment({}, { logger: new DefaultLogger('TRACE', (entry) => logs.push(entry)) }).run((sent: CallbackDelivery) => activities.deliverCallback(sent), request);
  const counted = async (result: string): Promise<number> => (await metrics.callbackDeliveries.get()).values.find((value) => value.labels.result === result)?.value ?? 0;
  const failureOf = async (attempt: Promise<unknown>): Promise<ApplicationFailure> => {
    const error: unknown = await attempt.then(
      () => new Error('the delivery did not throw'),
      (thrown: unknown) => thrown,
    );
    if (!(error instanceof ApplicationFailure)) throw error;
    return error;
  };

  beforeAll(async () => {
    server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        received.push({ path: request.url ?? '', headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
        answer(response);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  beforeEach(() => {
    received = [];
    logs = [];
    answer = (response) => response.writeHead(200, { 'content-type': 'text/plain' }).end(RECEIVER_BODY);
    metrics = new WorkerMetrics(null, false);
    service = new PaymentActivitiesService(new UpstreamHttpClient({ UPSTREAM_BASE_URL: 'http://127.0.0.1:9', UPSTREAM_CONCURRENCY_PER_MERCHANT: 4 }, metrics), metrics, LIMITS);
    merchant = {
      name: 'default',
      namespace: 'payments',
      upstreamAccessToken: 'APP_USR-first',
      callbacks: new Map([
        ['shop', callback('/shop', SHOP_SECRET)],
        ['office', callback('/office', OFFICE_SECRET)],
      ]),
    };
    activities = service.forMerchant(merchant, { current: NO_UPSTREAM_PAUSE });
  });

  it("POSTs the event to the client's URL, signed with its secret and timestamped, and reports it delivered", async () => {
    answer = (response) => response.writeHead(202).end(RECEIVER_BODY);
    const before = Math.floor(Date.now() / 1000);

    expect(await deliver(delivery('shop'))).toEqual({ kind: 'delivered', status: 202 });

    expect(received).toHaveLength(1);
    const [post] = received;
    expect(post!.path).toBe('/shop');
    expect(post!.headers['content-type']).toBe('application/json');
    expect(post!.headers['x-orchestrator-event-id']).toBe('event-1');
    expect(JSON.parse(post!.body)).toEqual(event);
    const timestamp = verifiedTimestamp(post!, SHOP_SECRET);
    expect(timestamp).not.toBeNull();
    expect(timestamp).toBeGreaterThanOrEqual(before);
    expect(timestamp).toBeLessThanOrEqual(Math.floor(Date.now() / 1000));
    // Another client's secret does not verify it: each client checks with its own.
    expect(verifiedTimestamp(post!, OFFICE_SECRET)).toBeNull();
    expect(await counted('delivered')).toBe(1);
  });

  it('signs each attempt afresh, with the time it is sent', async () => {
    const now = jest.spyOn(Date, 'now');
    try {
      now.mockReturnValue(1_700_000_000_000);
      await deliver(delivery('shop'));
      now.mockReturnValue(1_700_000_600_000);
      await deliver(delivery('shop'));
    } finally {
      now.mockRestore();
    }

    expect(received.map((post) => verifiedTimestamp(post, SHOP_SECRET))).toEqual([1_700_000_000, 1_700_000_600]);
  });

  it.each([400, 404, 409, 500, 503])('throws a retryable failure naming HTTP %i, never the answer body', async (status) => {
    answer = (response) => response.writeHead(status, { 'content-type': 'text/plain' }).end(RECEIVER_BODY);

    const failure = await failureOf(deliver(delivery('shop')));

    expect(failure.nonRetryable).toBe(false);
    expect(failure.type).toBe(CALLBACK_REFUSED);
    expect(failure.message).toBe(`callback refused: HTTP ${status}`);
    expect(await counted('refused_status')).toBe(1);
  });

  it('throws on a redirect without following it, so the event reaches no other URL', async () => {
    answer = (response) => response.writeHead(307, { location: `${base}/office` }).end();

    const failure = await failureOf(deliver(delivery('shop')));

    expect(failure.message).toBe('callback refused: HTTP 307');
    expect(received.map(({ path }) => path)).toEqual(['/shop']);
    expect(await counted('refused_status')).toBe(1);
  });

  it("gives up on a receiver that never answers after the delivery's timeout, and throws", async () => {
    answer = () => undefined;
    const started = performance.now();

    const failure = await failureOf(deliver(delivery('shop', 200)));

    expect(failure.type).toBe(CALLBACK_UNANSWERED);
    expect(failure.message).toBe('callback not delivered: timeout after 200 ms');
    expect(failure.nonRetryable).toBe(false);
    // It waited out its timeout (a receiver that never answers cannot hold it longer: jest's own timeout would fail the test).
    expect(performance.now() - started).toBeGreaterThanOrEqual(190);
    expect(await counted('network_error')).toBe(1);
  });

  it("waits no longer than the worker's CALLBACK_ATTEMPT_TIMEOUT_MS on the callback worker, whatever timeout the follow-up recorded", async () => {
    answer = () => undefined;
    const bounded = new PaymentActivitiesService(new UpstreamHttpClient({ UPSTREAM_BASE_URL: 'http://127.0.0.1:9', UPSTREAM_CONCURRENCY_PER_MERCHANT: 4 }, metrics), metrics, {
      ...LIMITS,
      CALLBACK_ATTEMPT_TIMEOUT_MS: 200,
    });

    // A follow-up records its read timeout (10 s by default) as the delivery's.
    const failure = await failureOf(new MockActivityEnvironment().run((sent: CallbackDelivery) => bounded.callbacksFor(merchant).deliverCallback(sent), delivery('shop', 10_000)));

    expect(failure.message).toBe('callback not delivered: timeout after 200 ms');
    expect(failure.nonRetryable).toBe(false);
  });

  it('ends a POST the receiver holds when the worker shuts down (the activity is cancelled), and throws', async () => {
    answer = () => undefined;
    const activity = new MockActivityEnvironment();
    const attempt = failureOf(activity.run((sent: CallbackDelivery) => activities.deliverCallback(sent), delivery('shop', 60_000)));
    await eventually(
      () => Promise.resolve(received.length),
      (posts) => posts === 1,
    );

    activity.cancel();

    const failure = await attempt;
    expect(failure.type).toBe(CALLBACK_UNANSWERED);
    expect(failure.message).toBe('callback not delivered: cancelled');
  });

  it('throws naming the socket error when nothing listens at the URL', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    const nowhere = service.forMerchant(
      { ...merchant, callbacks: new Map([['shop', { url: new URL(`http://127.0.0.1:${port}/shop`), secret: SHOP_SECRET }]]) },
      { current: NO_UPSTREAM_PAUSE },
    );

    const failure = await failureOf(new MockActivityEnvironment().run((sent: CallbackDelivery) => nowhere.deliverCallback(sent), delivery('shop')));

    expect(failure.type).toBe(CALLBACK_UNANSWERED);
    expect(failure.message).toBe('callback not delivered: network error: ECONNREFUSED');
    expect(await counted('network_error')).toBe(1);
  });

  it("delivers a client's batch at once, each event's result on its own: a refused one is `failed`, for its callbacks workflow to retry", async () => {
    let answered = 0;
    answer = (response) => response.writeHead((answered += 1) === 1 ? 503 : 204).end();
    const events = ['event-a', 'event-b'].map((id) => ({ ...event, id }));

    const results = await new MockActivityEnvironment().run((batch: CallbackBatch) => service.callbacksFor(merchant).deliverCallbacks(batch), {
      clientId: 'shop',
      events,
      timeoutMs: 2_000,
    });

    const refused = (JSON.parse(received[0]!.body) as CallbackEvent).id;
    expect(results).toEqual(events.map(({ id }) => ({ id, kind: id === refused ? 'failed' : 'delivered' })));
    expect(received.map(({ path }) => path)).toEqual(['/shop', '/shop']);
    expect(await counted('refused_status')).toBe(1);
    expect(await counted('delivered')).toBe(1);
  });

  it("keeps no more than the batch's concurrency in flight: a receiver that never answers costs a round of attempt timeouts per that many events", async () => {
    answer = () => undefined;
    const events = Array.from({ length: 10 }, (_, index) => ({ ...event, id: `event-${index}` }));
    const started = performance.now();

    const results = await new MockActivityEnvironment().run((batch: CallbackBatch) => service.callbacksFor(merchant).deliverCallbacks(batch), {
      clientId: 'shop',
      events,
      timeoutMs: 200,
      concurrency: 4,
    });

    expect(results).toEqual(events.map(({ id }) => ({ id, kind: 'failed' })));
    expect(received).toHaveLength(events.length);
    // Four at a time, each POST held to its timeout: three rounds, one after the other (all ten at once would take one). Timers may fire a millisecond early.
    expect(performance.now() - started).toBeGreaterThanOrEqual(3 * 200 - 3);
    expect(await counted('network_error')).toBe(events.length);
  });

  it('answers a batch no sooner than its holdMs after it started, so the events handed over meanwhile wait for one workflow task together', async () => {
    const started = performance.now();

    const results = await new MockActivityEnvironment().run((batch: CallbackBatch) => service.callbacksFor(merchant).deliverCallbacks(batch), {
      clientId: 'shop',
      events: [event],
      timeoutMs: 2_000,
      holdMs: 300,
    });

    expect(results).toEqual([{ id: event.id, kind: 'delivered' }]);
    expect(received.map(({ path }) => path)).toEqual(['/shop']);
    // Timers may fire a millisecond early.
    expect(performance.now() - started).toBeGreaterThanOrEqual(299);
  });

  it("sends a client's event to that client's URL alone", async () => {
    await deliver(delivery('office'));

    expect(received.map(({ path }) => path)).toEqual(['/office']);
    expect(verifiedTimestamp(received[0]!, OFFICE_SECRET)).not.toBeNull();
  });

  it("reports not_configured, sending nothing, for a client the merchant has no callback for, another merchant's included", async () => {
    const service = new PaymentActivitiesService(new UpstreamHttpClient({ UPSTREAM_BASE_URL: 'http://127.0.0.1:9', UPSTREAM_CONCURRENCY_PER_MERCHANT: 4 }, metrics), metrics, LIMITS);
    const acme = service.forMerchant(
      {
        name: 'acme',
        namespace: 'acme-payments',
        upstreamAccessToken: 'APP_USR-acme',
        callbacks: new Map([['acme-shop', callback('/acme', ACME_SECRET)]]),
      },
      { current: NO_UPSTREAM_PAUSE },
    );

    expect(await deliver(delivery('acme-shop'))).toEqual({ kind: 'not_configured' });
    expect(await deliver(delivery('stranger'))).toEqual({ kind: 'not_configured' });
    expect(received).toEqual([]);
    expect(await counted('not_configured')).toBe(2);

    // The same client is told by its own merchant's worker.
    expect(await new MockActivityEnvironment().run((sent: CallbackDelivery) => acme.deliverCallback(sent), delivery('acme-shop'))).toEqual({ kind: 'delivered', status: 200 });
    expect(received.map(({ path }) => path)).toEqual(['/acme']);
  });

  it('logs neither the secret, the event nor the answer body', async () => {
    await deliver(delivery('shop'));
    answer = (response) => response.writeHead(500).end(RECEIVER_BODY);
    await failureOf(deliver(delivery('shop')));

    const logged = JSON.stringify(logs.map(({ message, meta }) => ({ message, meta })));
    expect(logged).toContain('callback delivered');
    expect(logged).toContain('callback refused');
    for (const secretOrBody of [SHOP_SECRET, RECEIVER_BODY, 'accredited']) expect(logged).not.toContain(secretOrBody);
  });
});
