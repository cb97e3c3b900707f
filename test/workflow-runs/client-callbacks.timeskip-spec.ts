import { randomUUID } from 'node:crypto';
import { WorkflowFailedError } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import type { temporal } from '@temporalio/proto';
import { Context } from '@temporalio/activity';
import { MockActivityEnvironment, type TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker, type WorkflowBundle } from '@temporalio/worker';
import {
  callbackTaskQueue,
  CLIENT_CALLBACKS_WORKFLOW,
  clientCallbacksQuery,
  clientCallbacksWorkflowId,
  PAYMENT_WRITE_WORKFLOW,
  type CallbackBatch,
  type CallbackBatchResult,
  type CallbackEvent,
  type CallbackHandOver,
  NO_UPSTREAM_PAUSE,
  type CallbackSchedule,
  type ClientCallbacksState,
  type PaymentWriteInput,
  type QueuedCallback,
  type QueuedCallbacks,
  type UpstreamAttempt,
  type UpstreamRead,
  type UpstreamRequest,
  PAYMENT_RUN_STEPS_REVISION,
} from '@app/contracts';
import type { ClientCallback, MerchantAccount } from '@app/config';
import { PaymentActivitiesService, UpstreamHttpClient, WorkerMetrics } from '@app/payment-worker';
import type { paymentWriteWorkflow } from '@app/workflows';
import { onTimeSkippingServer, recordHistoryIfAsked } from './payment-write-runner';
import { newOrderId } from './scripted-upstream';
import { timerDelaysMs } from './workflow-history';

/*
 * The clients' callbacks workflows (docs/api.md, "Callbacks"; docs/architecture.md, "Callbacks apart
 * from payments") live on after each test, waiting for the next event: a server of their own (this
 * file), so nothing they leave behind holds the time-skipping of another file's tests.
 */
let env: TestWorkflowEnvironment;
let workflowBundle: WorkflowBundle;
onTimeSkippingServer((server, bundle) => {
  env = server;
  workflowBundle = bundle;
});

const metrics = new WorkerMetrics(null, false);
const UPSTREAM = { UPSTREAM_BASE_URL: 'http://127.0.0.1:9', UPSTREAM_CONCURRENCY_PER_MERCHANT: 4 };
const LIMITS = { CALLBACK_MAX_CONCURRENT_PER_CLIENT: 4, CALLBACK_ATTEMPT_TIMEOUT_MS: 5_000, CALLBACK_HAND_OVERS_PER_SIGNAL: 1 };
/** The worker's own hand-over (a real signal-with-start), with its default bounds. */
const service = new PaymentActivitiesService(new UpstreamHttpClient(UPSTREAM, metrics), metrics, LIMITS);
/** The clients with a callback URL (never called here: the callback worker's delivery is scripted), one per test. */
const callbacks = new Map<string, ClientCallback>();
const merchant: MerchantAccount = { name: 'default', namespace: 'default', upstreamAccessToken: 'APP_USR-test', callbacks };
/** A client of its own for a test, with a callback URL: the worker hands its events over. */
function newClient(): string {
  const clientId = `checkout-${randomUUID()}`;
  callbacks.set(clientId, { url: new URL('http://127.0.0.1:9/hooks'), secret: 'client-callbacks-spec-secret-of-32-chars' });
  return clientId;
}

/** An upstream whose every attempt comes to `answer`. */
class AnsweringUpstream extends UpstreamHttpClient {
  constructor(private readonly answer: UpstreamAttempt) {
    super(UPSTREAM, metrics);
  }

  override send(): Promise<UpstreamAttempt> {
    return Promise.resolve(this.answer);
  }
}

/** One delivery attempt, on the server's clock (skipped-to time). */
interface DeliveryAttempt {
  event: CallbackEvent;
  at: number;
}

/** One `deliverCallbacks` local activity: its events, the concurrency it was given and the time Temporal allowed it. */
interface DeliveryBatch {
  ids: string[];
  concurrency: number | undefined;
  startToCloseTimeoutMs: number;
}

/** A receiver scripted per attempt: `answers2xx(n, event)` says whether the n-th attempt (from 1), of `event`, is answered 2xx. */
function scriptedReceiver(answers2xx: (attempt: number, event: CallbackEvent) => boolean) {
  const attempts: DeliveryAttempt[] = [];
  const batches: DeliveryBatch[] = [];
  const deliverCallbacks = async ({ events, concurrency }: CallbackBatch): Promise<CallbackBatchResult> => {
    batches.push({ ids: events.map(({ id }) => id), concurrency, startToCloseTimeoutMs: Context.current().info.startToCloseTimeoutMs });
    const at = await env.currentTimeMs();
    return events.map((event) => {
      attempts.push({ event, at });
      return { id: event.id, kind: answers2xx(attempts.length, event) ? 'delivered' : 'failed' };
    });
  };
  return { attempts, batches, deliverCallbacks };
}

/**
 * The payment worker (the worker's own attempt over a scripted upstream, and its hand-overs) and the
 * callback worker beside it, on a task queue of their own. `runLearnsOfHandOver` false: the run never
 * learns that its attempt handed the answer over (as when that attempt's result is lost).
 */
async function workers(answer: UpstreamAttempt, receiver: ReturnType<typeof scriptedReceiver>, runLearnsOfHandOver = true) {
  const taskQueue = `callbacks-test-${randomUUID()}`;
  const attempts = new PaymentActivitiesService(new AnsweringUpstream(answer), metrics, LIMITS).forMerchant(merchant, { current: NO_UPSTREAM_PAUSE });
  const requests: UpstreamRequest[] = [];
  const payments = await Worker.create({
    connection: env.nativeConnection,
    namespace: env.namespace,
    taskQueue,
    workflowBundle,
    activities: {
      sendUpstreamRequest: async (request: UpstreamRequest): Promise<UpstreamAttempt> => {
        requests.push(request);
        const attempt = await attempts.sendUpstreamRequest(request);
        return runLearnsOfHandOver || attempt.kind !== 'final' ? attempt : { kind: 'final', status: attempt.status, body: attempt.body };
      },
      // A give-up's settling read finds nothing that shows the write took effect.
      readUpstreamOrder: () => Promise.resolve<UpstreamRead>({ kind: 'read', status: 200, body: null }),
      handOverCallback: (handOver: CallbackHandOver) => service.forMerchant(merchant, { current: NO_UPSTREAM_PAUSE }).handOverCallback(handOver),
    },
  });
  const callbacks = await Worker.create({
    connection: env.nativeConnection,
    namespace: env.namespace,
    taskQueue: callbackTaskQueue(taskQueue),
    workflowBundle,
    activities: { deliverCallbacks: receiver.deliverCallbacks },
  });
  return { taskQueue, requests, runUntil: <T>(work: Promise<T>) => payments.runUntil(callbacks.runUntil(work)) };
}

/** The callbacks workflow of a client of the stack whose payment task queue is `taskQueue`. */
const callbacksOf = (taskQueue: string, clientId: string) => env.client.workflow.getHandle(clientCallbacksWorkflowId(callbackTaskQueue(taskQueue), clientId));
const state = (taskQueue: string, clientId: string): Promise<ClientCallbacksState> => callbacksOf(taskQueue, clientId).query(clientCallbacksQuery);

/**
 * Each attempt came no sooner than its documented wait after the one before (the server's clock
 * also runs while the workers act, so a gap may be a little longer: the timers above are the exact
 * waits the workflow chose).
 */
function expectAttemptsAfter(attempts: readonly DeliveryAttempt[], waitsMs: readonly number[]): void {
  expect(attempts.slice(1).map(({ at }, index) => at - attempts[index]!.at >= waitsMs[index]!)).toEqual(waitsMs.map(() => true));
}

/** Skips server time a step at a time (each step lets the workers act) until `done`, at most `steps` times. */
async function skipUntil(done: () => Promise<boolean>, stepMs: number, steps: number): Promise<void> {
  for (let step = 0; step < steps; step += 1) {
    if (await done()) return;
    await env.sleep(stepMs);
  }
  if (!(await done())) throw new Error(`not done after ${steps} steps of ${stepMs} ms`);
}

const CALLBACK: CallbackSchedule = { horizonMs: 3 * 24 * 3_600_000, maxRetryIntervalMs: 600_000, timeoutMs: 10_000 };
const input = (clientId: string, callback: CallbackSchedule, overrides: Partial<PaymentWriteInput> = {}): PaymentWriteInput => ({
  operation: 'advanced_payment.create',
  clientId,
  orderId: null,
  request: { method: 'POST', path: '/v1/advanced_payments', idempotencyKey: 'upstream-key-1', body: { wallet_payment: { transaction_amount: 70.5 } } },
  attemptTimeoutMs: 10_000,
  retry: { initialIntervalMs: 500, maximumIntervalMs: 30_000, budgetMs: 600_000 },
  attemptActivity: 'regular',
  callback,
  stepsRevision: PAYMENT_RUN_STEPS_REVISION,
  ...overrides,
});

/** Runs a write to its end, then skips time until its client's callbacks workflow has nothing pending. */
async function runWrite(writeInput: PaymentWriteInput, answer: UpstreamAttempt, receiver: ReturnType<typeof scriptedReceiver>, runLearnsOfHandOver = true) {
  const { taskQueue, requests, runUntil } = await workers(answer, receiver, runLearnsOfHandOver);
  const workflowId = `write-${randomUUID()}`;
  return runUntil(
    (async () => {
      const handle = await env.client.workflow.start<typeof paymentWriteWorkflow>(PAYMENT_WRITE_WORKFLOW, { workflowId, taskQueue, args: [writeInput] });
      const result = await handle.result().catch((error: unknown) => error);
      recordHistoryIfAsked(await handle.fetchHistory(), 'regular');
      await skipUntil(async () => receiver.attempts.length > 0 && (await state(taskQueue, writeInput.clientId)).pending.length === 0, 1_000, 200);
      const callbacksHistory = await callbacksOf(taskQueue, writeInput.clientId).fetchHistory();
      recordHistoryIfAsked(callbacksHistory, 'callbacks');
      return { result, workflowId, taskQueue, requests, callbacksHistory, state: await state(taskQueue, writeInput.clientId) };
    })(),
  );
}

/** The worker's own hand-over (a signal, with start for the first) of the event `id` to `clientId`'s callbacks workflow, by `worker`. */
function handOverOne(clientId: string, taskQueue: string, worker = service) {
  // Marked `together`, as a run at steps revision 2 marks its hand-overs: with `worker` coalescing, they may share a signal.
  const handOver = (id: string): CallbackHandOver => ({
    clientId,
    together: true,
    event: { id, type: 'payment_run.final', created_at: new Date().toISOString(), idempotency_key: `key-${id}`, state: 'final' },
    schedule: CALLBACK,
  });
  // An activity environment each, as each local activity has its own (and its own abort signal); as
  // the payment worker's local activity on `taskQueue`: the callbacks workflow is on its callback queue.
  return (id: string) =>
    new MockActivityEnvironment({ taskQueue }, { client: env.client }).run(
      (sent: CallbackHandOver) => worker.forMerchant(merchant, { current: NO_UPSTREAM_PAUSE }).handOverCallback(sent),
      handOver(id),
    );
}

/** The worker's own hand-overs of events with these ids to `clientId`'s callbacks workflow, one after the other. */
function handOvers(clientId: string, taskQueue: string) {
  const handOver = handOverOne(clientId, taskQueue);
  return async (...ids: string[]) => {
    for (const id of ids) await handOver(id);
  };
}

/** The hand-over signals in a callbacks workflow's history: each one's name and the event ids it carried. */
function handOverSignals(history: temporal.api.history.v1.IHistory): Array<{ name: string; ids: string[] }> {
  return (history.events ?? []).flatMap(({ workflowExecutionSignaledEventAttributes: signal }) => {
    if (signal == null) return [];
    const [argument] = (signal.input?.payloads ?? []).map((payload) => defaultPayloadConverter.fromPayload<QueuedCallback | QueuedCallbacks>(payload));
    const callbacks = argument !== undefined && 'callbacks' in argument ? argument.callbacks : [argument!];
    return [{ name: signal.signalName!, ids: callbacks.map(({ event }) => event.id) }];
  });
}

describe('a run with a callback URL and its client callbacks workflow', () => {
  it('hands a final answer to the client callbacks workflow, which retries it from 1 s doubling until the client answers 2xx', async () => {
    const clientId = newClient();
    const answer: UpstreamAttempt = { kind: 'final', status: 200, body: { id: 10458724, status: 'approved' } };
    const receiver = scriptedReceiver((attempt) => attempt > 3);

    const outcome = await runWrite(input(clientId, CALLBACK), answer, receiver);

    expect(outcome.result).toEqual({ status: 200, body: answer.body });
    // The documented waits between attempts, as the callbacks workflow's own timers.
    expect(timerDelaysMs(outcome.callbacksHistory)).toEqual([1_000, 2_000, 4_000]);
    expectAttemptsAfter(receiver.attempts, [1_000, 2_000, 4_000]);
    expect(new Set(receiver.attempts.map(({ event }) => event.id)).size).toBe(1);
    expect(receiver.attempts[0]!.event).toEqual({
      id: expect.any(String) as string,
      type: 'payment_run.final',
      created_at: expect.any(String) as string,
      idempotency_key: outcome.workflowId,
      state: 'final',
      operation: 'advanced_payment.create',
      answer: { status: 200, body: answer.body },
    });
    expect(outcome.state).toEqual({ pending: [], undelivered: [] });
  });

  it('sends the event its attempt handed over once, when the run did not learn of it and hands the same event over itself', async () => {
    const clientId = newClient();
    const receiver = scriptedReceiver(() => true);

    const outcome = await runWrite(input(clientId, CALLBACK), { kind: 'final', status: 200, body: { id: 10458725, status: 'approved' } }, receiver, false);

    // Two hand-overs (the attempt's, then the run's own), one event id, one delivery.
    const handedOver = (outcome.callbacksHistory.events ?? []).filter((event) => event.workflowExecutionSignaledEventAttributes);
    expect(handedOver).toHaveLength(2);
    expect(receiver.attempts).toHaveLength(1);
    expect(outcome.state).toEqual({ pending: [], undelivered: [] });
  });

  it("names the callback task queue in its attempts' hand-over, for workers of a build from before the attempt derived it", async () => {
    const clientId = newClient();
    const receiver = scriptedReceiver(() => true);

    const outcome = await runWrite(input(clientId, CALLBACK), { kind: 'final', status: 200, body: { id: 10458726, status: 'approved' } }, receiver);

    // Such a worker names the callbacks workflow by it; without it, its hand-over fails and leaves the event to the run.
    expect(outcome.requests.map(({ handOver }) => handOver?.taskQueue)).toEqual([callbackTaskQueue(outcome.taskQueue)]);
    expect(receiver.attempts).toHaveLength(1);
  });

  it('tells the client when the run gives up, naming the order', async () => {
    const clientId = newClient();
    const orderId = newOrderId();
    const lost: UpstreamAttempt = { kind: 'retryable', status: 503, reason: 'HTTP 503', retryAfterMs: null };
    const receiver = scriptedReceiver(() => true);
    const writeInput = input(clientId, CALLBACK, {
      operation: 'order.process',
      orderId,
      request: { method: 'POST', path: `/v1/orders/${orderId}/process`, idempotencyKey: 'k' },
      retry: { initialIntervalMs: 500, maximumIntervalMs: 1_000, budgetMs: 5_000 },
    });

    const outcome = await runWrite(writeInput, lost, receiver);

    expect(outcome.result).toBeInstanceOf(WorkflowFailedError);
    expect(receiver.attempts.map(({ event }) => event)).toEqual([
      {
        id: expect.any(String) as string,
        type: 'payment_run.gave_up',
        created_at: expect.any(String) as string,
        idempotency_key: outcome.workflowId,
        state: 'gave_up',
        operation: 'order.process',
        order_id: orderId,
      },
    ]);
  });

  it('ends an event `undelivered` once its next attempt would come after the horizon, shown by the callbacks query', async () => {
    const clientId = newClient();
    const answer: UpstreamAttempt = { kind: 'final', status: 201, body: { id: 'ORD01', status: 'processed' } };
    const receiver = scriptedReceiver(() => false);
    // A minute's horizon, waits doubling up to 16 s: attempts at 0, 1, 3, 7, 15, 31 and 47 s; the next (63 s) is past it.
    const schedule: CallbackSchedule = { horizonMs: 60_000, maxRetryIntervalMs: 16_000, timeoutMs: 10_000 };
    const { taskQueue, runUntil } = await workers(answer, receiver);
    const workflowId = `write-${randomUUID()}`;

    const undelivered = await runUntil(
      (async () => {
        await env.client.workflow.execute<typeof paymentWriteWorkflow>(PAYMENT_WRITE_WORKFLOW, { workflowId, taskQueue, args: [input(clientId, schedule)] });
        await skipUntil(async () => (await state(taskQueue, clientId)).undelivered.length > 0, 5_000, 100);
        return state(taskQueue, clientId);
      })(),
    );

    const [event] = receiver.attempts.map((attempt) => attempt.event);
    expect(undelivered).toEqual({
      pending: [],
      undelivered: [{ event_id: event!.id, idempotency_key: workflowId, type: 'payment_run.final', attempts: 7, gave_up_at: expect.any(String) as string }],
    });
    const history = await callbacksOf(taskQueue, clientId).fetchHistory();
    expect(timerDelaysMs(history)).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 16_000]);
    expectAttemptsAfter(receiver.attempts, [1_000, 2_000, 4_000, 8_000, 16_000, 16_000]);
  });

  it('delivers an event once when its hand-over runs twice (a local activity may)', async () => {
    const clientId = newClient();
    const receiver = scriptedReceiver(() => true);
    const { taskQueue, runUntil } = await workers({ kind: 'final', status: 200, body: {} }, receiver);
    const handOverEach = handOvers(clientId, taskQueue);
    const [first, later] = [randomUUID(), randomUUID()];
    const delivered = (id: string) => async () => receiver.attempts.some(({ event }) => event.id === id) && !(await state(taskQueue, clientId)).pending.includes(id);

    await runUntil(
      (async () => {
        await handOverEach(first, first);
        await skipUntil(delivered(first), 1_000, 50);
        // Once more after it was delivered, then a new event: signals are handled in order, so once the new one is delivered the repeat was seen.
        await handOverEach(first, later);
        await skipUntil(delivered(later), 1_000, 50);
      })(),
    );

    expect(receiver.attempts.map(({ event }) => event.id)).toEqual([first, later]);
    const handle = callbacksOf(taskQueue, clientId);
    expect((await handle.fetchHistory()).events?.filter((event) => event.workflowExecutionSignaledEventAttributes)).toHaveLength(4);
    expect((await handle.describe()).type).toBe(CLIENT_CALLBACKS_WORKFLOW);
  });

  it('hands over in one signal the events that meet while its signal to the callbacks workflow is in flight, and delivers each once', async () => {
    const clientId = newClient();
    const receiver = scriptedReceiver(() => true);
    const { taskQueue, runUntil } = await workers({ kind: 'final', status: 200, body: {} }, receiver);
    const ids = Array.from({ length: 10 }, (_, index) => `event-${index}-${randomUUID()}`);
    // A worker that sends at most 4 events a signal (CALLBACK_HAND_OVERS_PER_SIGNAL).
    const coalescing = new PaymentActivitiesService(new UpstreamHttpClient(UPSTREAM, metrics), metrics, { ...LIMITS, CALLBACK_HAND_OVERS_PER_SIGNAL: 4 });
    const handOver = handOverOne(clientId, taskQueue, coalescing);

    // The query needs the callback worker: asked before it stops.
    const settled = await runUntil(
      (async () => {
        // Ten local activities at once; the first finds no workflow and starts it (signal-with-start).
        await Promise.all(ids.map(handOver));
        // A repeat of one of them, alone, after the others (its own signal): still delivered once.
        await handOver(ids[3]!);
        await skipUntil(async () => receiver.attempts.length >= ids.length && (await state(taskQueue, clientId)).pending.length === 0, 1_000, 50);
        return state(taskQueue, clientId);
      })(),
    );

    const history = await callbacksOf(taskQueue, clientId).fetchHistory();
    recordHistoryIfAsked(history, 'callbacks');
    const signals = handOverSignals(history);
    // The first alone, at once; the nine that met it, four at most a signal.
    expect(signals[0]).toEqual({ name: 'callbackEvent', ids: [ids[0]] });
    expect(signals.length).toBeLessThan(ids.length);
    expect(signals.map(({ ids }) => ids.length <= 4)).toEqual(signals.map(() => true));
    expect(signals.some(({ name, ids }) => name === 'callbackEvents' && ids.length > 1)).toBe(true);
    expect(signals.flatMap(({ ids }) => ids).sort()).toEqual([...ids, ids[3]].sort());
    expect(receiver.attempts.map(({ event }) => event.id).sort()).toEqual([...ids].sort());
    expect(settled).toEqual({ pending: [], undelivered: [] });
  });

  it("sends every due event in one local activity, given the client's concurrency and time for its rounds, and retries each refused one on its own", async () => {
    const clientId = newClient();
    const ids = Array.from({ length: 10 }, (_, index) => `event-${index}-${randomUUID()}`);
    // The first attempt of three of them is refused; the others are delivered at once.
    const refusedOnce = new Set([ids[1]!, ids[5]!, ids[8]!]);
    const receiver = scriptedReceiver((_, event) => !refusedOnce.delete(event.id));
    const { taskQueue, runUntil } = await workers({ kind: 'final', status: 200, body: {} }, receiver);
    // Handed over before the callback worker polls: its first workflow task finds all ten due.
    await handOvers(clientId, taskQueue)(...ids);

    // The query needs the callback worker: asked before it stops.
    const settled = await runUntil(
      (async () => {
        await skipUntil(async () => receiver.attempts.length >= 13 && (await state(taskQueue, clientId)).pending.length === 0, 1_000, 50);
        return state(taskQueue, clientId);
      })(),
    );

    const history = await callbacksOf(taskQueue, clientId).fetchHistory();
    recordHistoryIfAsked(history, 'callbacks');
    // The hand-over's bounds: CALLBACK_MAX_CONCURRENT_PER_CLIENT 4, the schedule's 10 s attempt cut to CALLBACK_ATTEMPT_TIMEOUT_MS (5 s).
    const concurrency = 4;
    const timeoutMs = 5_000;
    expect(receiver.batches.map(({ ids, concurrency }) => ({ ids, concurrency }))).toEqual([
      { ids, concurrency },
      { ids: [ids[1], ids[5], ids[8]], concurrency },
    ]);
    // Ten events four at a time take three rounds, each up to one attempt timeout.
    expect(receiver.batches[0]!.startToCloseTimeoutMs).toBeGreaterThanOrEqual(3 * timeoutMs);
    expect(timerDelaysMs(history)).toEqual([1_000]);
    expect(settled).toEqual({ pending: [], undelivered: [] });
  });
});
