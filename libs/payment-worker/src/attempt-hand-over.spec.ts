import type { Client } from '@temporalio/client';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger, type LogEntry } from '@temporalio/worker';
import { NO_UPSTREAM_PAUSE, type AttemptHandOver, type CallbackEvent, type CallbackHandOver, type QueuedCallback, type UpstreamAttempt, type UpstreamRequest } from '@app/contracts';
import type { MerchantAccount } from '@app/config';
import { ATTEMPT_HAND_OVER_DEADLINE_MS, PaymentActivitiesService } from './payment-activities.service';
import { UpstreamHttpClient } from './upstream-http-client';
import { WorkerMetrics } from './worker-metrics';

const metrics = new WorkerMetrics(null, false);
const UPSTREAM = { UPSTREAM_BASE_URL: 'http://127.0.0.1:9', UPSTREAM_CONCURRENCY_PER_MERCHANT: 4 };
/** `checkout` has a callback URL (never called here: the hand-over only signals). */
const merchant: MerchantAccount = {
  name: 'default',
  namespace: 'default',
  upstreamAccessToken: 'APP_USR-test',
  callbacks: new Map([['checkout', { url: new URL('http://127.0.0.1:9/hooks'), secret: 'attempt-hand-over-callback-secret-32-chars' }]]),
};
const ORDER_ID = 'ORD01JQ4S4KY8HWQ6NA5PXB65B3D3';

/** An upstream whose attempt comes to `answer`. */
class AnsweringUpstream extends UpstreamHttpClient {
  constructor(private readonly answer: UpstreamAttempt) {
    super(UPSTREAM, metrics);
  }

  override send(): Promise<UpstreamAttempt> {
    return Promise.resolve(this.answer);
  }
}

const handOver: AttemptHandOver = {
  clientId: 'checkout',
  schedule: { horizonMs: 60_000, maxRetryIntervalMs: 10_000, timeoutMs: 10_000 },
  subject: { id: 'event-1', idempotencyKey: 'key-1', operation: 'order.create', orderId: null },
};
const create: UpstreamRequest = {
  operation: 'order.create',
  method: 'POST',
  path: '/v1/orders',
  idempotencyKey: 'upstream-key-1',
  body: { type: 'online' },
  timeoutMs: 10_000,
  handOver,
};

/** A signal the activity sent: to which workflow, with what. */
interface Signalled {
  workflowId: string;
  queued: QueuedCallback;
}

/**
 * The attempt activity over `answer` for `request`, with a Temporal client whose signal to a
 * running callbacks workflow does `signal`; `service` is the worker's (CALLBACK_HAND_OVERS_PER_SIGNAL
 * 1, its default, unless given), shared by attempts that coalesce.
 */
async function attempt(answer: UpstreamAttempt, signal: (sent: Signalled) => Promise<unknown>, request: UpstreamRequest = create, service = serviceOf(answer, 1)) {
  const logs: LogEntry[] = [];
  const activities = service.forMerchant(merchant, { current: NO_UPSTREAM_PAUSE });
  // The attempt's activity task comes from the run's task queue, `payments`.
  const environment = new MockActivityEnvironment({ taskQueue: 'payments' }, { client: clientOf(signal), logger: new DefaultLogger('TRACE', (entry) => logs.push(entry)) });
  const result = await environment.run((sent: UpstreamRequest) => activities.sendUpstreamRequest(sent), request);
  return { result, logs };
}

/** A Temporal client whose signal to a running callbacks workflow does `signal`: only what the activity uses. */
function clientOf(signal: (sent: Signalled) => Promise<unknown>): Client {
  // As the SDK's client does, a call made under an abort signal ends when it aborts.
  return {
    withAbortSignal: <R>(aborted: AbortSignal, call: () => Promise<R>) =>
      new Promise<R>((resolve, reject) => {
        aborted.addEventListener('abort', () => reject(aborted.reason as Error));
        call().then(resolve, reject);
      }),
    workflow: { getHandle: (workflowId: string) => ({ signal: (_definition: unknown, queued: QueuedCallback) => signal({ workflowId, queued }) }) },
  } as unknown as Client;
}

const serviceOf = (answer: UpstreamAttempt, perSignal: number) =>
  new PaymentActivitiesService(new AnsweringUpstream(answer), metrics, {
    CALLBACK_MAX_CONCURRENT_PER_CLIENT: 4,
    CALLBACK_ATTEMPT_TIMEOUT_MS: 5_000,
    CALLBACK_HAND_OVERS_PER_SIGNAL: perSignal,
  });

describe('the attempt that ends a run hands its event over (UpstreamRequest handOver)', () => {
  const created: UpstreamAttempt = { kind: 'final', status: 201, body: { id: ORDER_ID, status: 'processed' } };

  it('hands a final answer over, built from the answer with the order it created, and says so', async () => {
    const sent: Signalled[] = [];
    const { result } = await attempt(created, (signalled) => Promise.resolve(sent.push(signalled)));

    expect(result).toEqual({ ...created, handedOver: true });
    expect(sent).toHaveLength(1);
    expect(sent[0]!.workflowId).toBe('client-callbacks payments-callbacks checkout');
    const { queued } = sent[0]!;
    expect(queued.event).toEqual({
      id: 'event-1',
      type: 'payment_run.final',
      created_at: expect.any(String) as string,
      idempotency_key: 'key-1',
      state: 'final',
      operation: 'order.create',
      order_id: ORDER_ID,
      answer: { status: 201, body: created.body },
    });
    // The worker's bound cuts the run's recorded timeout.
    expect(queued.schedule.timeoutMs).toBe(5_000);
  });

  it("names the callbacks workflow by its own task queue's callback queue, whatever a recorded input says", async () => {
    const sent: Signalled[] = [];
    const recorded = { ...create, handOver: { ...handOver, taskQueue: 'elsewhere-callbacks' } };

    await attempt(created, (signalled) => Promise.resolve(sent.push(signalled)), recorded);

    expect(sent.map(({ workflowId }) => workflowId)).toEqual(['client-callbacks payments-callbacks checkout']);
  });

  it('hands nothing over for a client the worker has no callback URL for, and leaves the run nothing to hand over', async () => {
    const sent: Signalled[] = [];
    const { result } = await attempt(created, (signalled) => Promise.resolve(sent.push(signalled)), { ...create, handOver: { ...handOver, clientId: 'marketplace' } });

    expect(result).toEqual({ ...created, handedOver: true });
    expect(sent).toEqual([]);
  });

  it('leaves the hand-over to the run when Temporal does not take it, and logs why without the event', async () => {
    const { result, logs } = await attempt(created, () => Promise.reject(new Error('14 UNAVAILABLE: no connection')));

    expect(result).toEqual(created);
    const warning = logs.find((entry) => entry.message === 'callback hand-over left to the run');
    expect(warning?.meta).toMatchObject({ clientId: 'checkout', eventId: 'event-1', reason: '14 UNAVAILABLE: no connection' });
    expect(JSON.stringify(logs.map(({ message, meta }) => ({ message, meta })))).not.toContain(ORDER_ID);
  });

  it(`leaves the hand-over to the run when Temporal does not take it within ${ATTEMPT_HAND_OVER_DEADLINE_MS} ms: the answer is in hand`, async () => {
    // A signal that never ends: without the deadline, the attempt would wait past this test's 5 s.
    const { result, logs } = await attempt(created, () => new Promise(() => undefined));

    expect(result).toEqual(created);
    expect(logs.find((entry) => entry.message === 'callback hand-over left to the run')?.meta).toMatchObject({ eventId: 'event-1' });
  });

  it(`with hand-overs coalesced, leaves its hand-over to the run at ${ATTEMPT_HAND_OVER_DEADLINE_MS} ms while it waits behind a signal that never ends`, async () => {
    const service = serviceOf(created, 8);
    const signalled: Signalled[] = [];
    const never = (sent: Signalled) => {
      signalled.push(sent);
      return new Promise(() => undefined);
    };
    // Another run's hand-over (its local activity, which gives up only when cancelled) has a signal
    // in flight to the same callbacks workflow that never ends.
    const inFlight = new MockActivityEnvironment({ taskQueue: 'payments' }, { client: clientOf(never) });
    const activities = service.forMerchant(merchant, { current: NO_UPSTREAM_PAUSE });
    const event: CallbackEvent = { id: 'event-0', type: 'payment_run.final', created_at: new Date(0).toISOString(), idempotency_key: 'key-0', state: 'final' };
    const runsHandOver: CallbackHandOver = { clientId: 'checkout', event, schedule: handOver.schedule, together: true };
    const running = inFlight.run((sent: CallbackHandOver) => activities.handOverCallback(sent), runsHandOver).catch(() => undefined);

    // The attempt's event waits behind that signal, is never sent, and gives up at its own deadline.
    const { result, logs } = await attempt(created, never, { ...create, handOver: { ...handOver, together: true } }, service);
    inFlight.cancel();
    await running;

    expect(result).toEqual(created);
    expect(logs.find((entry) => entry.message === 'callback hand-over left to the run')?.meta).toMatchObject({ eventId: 'event-1' });
    expect(signalled.map(({ queued }) => queued.event.id)).toEqual(['event-0']);
  });

  it('sends a hand-over not marked `together` (a run from before steps revision 2) at once, alone, while another signal is in flight', async () => {
    const service = serviceOf(created, 8);
    const sent: Signalled[] = [];
    let endFirst: (value: unknown) => void = () => undefined;
    const first = attempt(created, () => new Promise((resolve) => (endFirst = resolve)), { ...create, handOver: { ...handOver, together: true } }, service);
    // Unmarked, its callbacks workflow may run on a build with no handler for a several-event signal.
    const second = await attempt(created, (signalled) => Promise.resolve(sent.push(signalled)), create, service);
    endFirst(undefined);

    expect(second.result).toEqual({ ...created, handedOver: true });
    expect(sent.map(({ queued }) => queued.event.id)).toEqual(['event-1']);
    expect((await first).result).toEqual({ ...created, handedOver: true });
  });

  it.each<[string, UpstreamAttempt]>([
    [
      'an answer left waiting on its final state (its follow-up tells the client)',
      { kind: 'final', status: 201, body: { id: ORDER_ID, status: 'processing', status_detail: 'in_process' } },
    ],
    ['a retryable failure', { kind: 'retryable', status: 503, reason: 'HTTP 503', retryAfterMs: null }],
  ])('hands nothing over for %s', async (_what, answer) => {
    const sent: Signalled[] = [];
    const { result } = await attempt(answer, (signalled) => Promise.resolve(sent.push(signalled)));

    expect(result).toEqual(answer);
    expect(sent).toEqual([]);
  });
});
