import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker, type WorkflowBundle } from '@temporalio/worker';
import {
  FOLLOW_UP_REQUESTED_BY_MEMO_FIELD,
  followUpStateQuery,
  followUpWorkflowId,
  ORDER_FOLLOW_UP_WORKFLOW,
  orderNotificationSignal,
  PAYMENT_WRITE_WORKFLOW,
  searchAttributes,
  type CallbackDelivery,
  type CallbackDeliveryResult,
  type FollowUpSchedule,
  type JsonValue,
  type OrderFollowUpInput,
  type OrderFollowUpState,
  type OrderRead,
  type PaymentWriteInput,
  type UpstreamAttempt,
} from '@app/contracts';
import type { orderFollowUpWorkflow, paymentWriteWorkflow } from '@app/workflows';
import { followUpSinks, WorkerMetrics } from '@app/payment-worker';
import { quietRuntimeAndWorkflowBundle, timeSkippingEnvironment, recordHistoryIfAsked } from './payment-write-runner';
import { timerDelaysMs } from './workflow-history';

/** The API's defaults (apps/api/src/api-config.ts): first read after 10 s, backing off to 10 minutes, for 3 days. */
const SCHEDULE: FollowUpSchedule = { pollInitialMs: 10_000, pollMaxIntervalMs: 600_000, horizonMs: 3 * 24 * 60 * 60 * 1000 };

let env: TestWorkflowEnvironment;
let workflowBundle: WorkflowBundle;
/** The worker's own metrics, counting what follow-ups report through their sink. */
let metrics: WorkerMetrics;
beforeEach(() => (metrics = new WorkerMetrics(null, false)));

beforeAll(async () => {
  workflowBundle = await quietRuntimeAndWorkflowBundle();
  env = await timeSkippingEnvironment();
});
afterAll(async () => env?.teardown());

/** A fresh order id per test: follow-up IDs derive from it. */
function newOrderId(): string {
  return `ORD01J49MMW3SSBK5PSV3D${randomUUID().replace(/-/g, '').slice(0, 6).toUpperCase()}`.padEnd(29, '0');
}

const order = (id: string, status: string, statusDetail: string): JsonValue => ({ id, status, status_detail: statusDetail, total_amount: '10.00' });
const read = (body: JsonValue): OrderRead => ({ kind: 'read', status: 200, body });

/** Scripted follow-up activities: reads answered in order (the last repeats), callbacks refused `refusals` times first. */
function scriptedFollowUpActivities(reads: readonly OrderRead[], callback: { refusals: number; configured: boolean } = { refusals: 0, configured: false }) {
  const readTimes: number[] = [];
  const deliveries: CallbackDelivery[] = [];
  return {
    readTimes,
    deliveries,
    activities: {
      readUpstreamOrder: async (): Promise<OrderRead> => {
        readTimes.push(await env.currentTimeMs());
        return reads[Math.min(readTimes.length, reads.length) - 1]!;
      },
      sendUpstreamRequest: (): Promise<UpstreamAttempt> => Promise.reject(new Error('a follow-up never writes')),
      deliverCallback: (delivery: CallbackDelivery): Promise<CallbackDeliveryResult> => {
        deliveries.push(delivery);
        if (!callback.configured) return Promise.resolve({ kind: 'not_configured' });
        if (deliveries.length <= callback.refusals) return Promise.reject(new Error('callback answered 503'));
        return Promise.resolve({ kind: 'delivered', status: 204 });
      },
    },
  };
}

function followUpInput(orderId: string, schedule: FollowUpSchedule = SCHEDULE): OrderFollowUpInput {
  return {
    orderId,
    requestedBy: { idempotencyKey: `key-${orderId}`, clientId: 'checkout' },
    answered: order(orderId, 'processing', 'in_process'),
    schedule,
    readTimeoutMs: 10_000,
  };
}

/** Runs a follow-up to its end on a worker of its own; `meanwhile` acts on it (signals) before its result is awaited. */
async function runFollowUp(
  activities: ReturnType<typeof scriptedFollowUpActivities>['activities'],
  input: OrderFollowUpInput,
  meanwhile: (handle: ReturnType<typeof env.client.workflow.getHandle<typeof orderFollowUpWorkflow>>) => Promise<void> = () => Promise.resolve(),
) {
  const taskQueue = `follow-up-test-${randomUUID()}`;
  const worker = await Worker.create({ connection: env.nativeConnection, namespace: env.namespace, taskQueue, workflowBundle, activities, sinks: followUpSinks(metrics) });
  return worker.runUntil(async () => {
    const handle = await env.client.workflow.start<typeof orderFollowUpWorkflow>(ORDER_FOLLOW_UP_WORKFLOW, { workflowId: followUpWorkflowId(input.orderId), taskQueue, args: [input] });
    const startedAt = (await handle.describe()).startTime.getTime();
    await meanwhile(handle);
    const result: OrderFollowUpState = await handle.result();
    const history = await handle.fetchHistory();
    recordHistoryIfAsked(history, 'follow-up');
    const description = await handle.describe();
    return { result, history, startedAt, searchAttributes: description.typedSearchAttributes };
  });
}

describe('orderFollowUpWorkflow on the time-skipping server, with scripted activities', () => {
  it('reads the order with backoff until it is final, then reports it settled', async () => {
    const orderId = newOrderId();
    const upstream = scriptedFollowUpActivities([...Array.from({ length: 4 }, () => read(order(orderId, 'processing', 'in_process'))), read(order(orderId, 'processed', 'accredited'))]);

    const { result, history, searchAttributes: attributes } = await runFollowUp(upstream.activities, followUpInput(orderId));

    expect(result).toMatchObject({ state: 'final', orderStatus: 'processed', statusDetail: 'accredited', reads: 5, callback: 'not_configured' });
    expect(result.latest).toEqual(order(orderId, 'processed', 'accredited'));
    // 10 s, then doubling while nothing is heard.
    expect(timerDelaysMs(history)).toEqual([10_000, 20_000, 40_000, 80_000, 160_000]);
    expect(attributes.get(searchAttributes.outcome)).toBe('succeeded');
    expect(attributes.get(searchAttributes.orderStatus)).toBe('processed');
    expect((await metrics.followUps.get()).values).toEqual([{ labels: { outcome: 'succeeded' }, value: 1 }]);
    expect(upstream.deliveries).toHaveLength(1);
    expect(upstream.deliveries[0]).toMatchObject({ clientId: 'checkout', event: { type: 'payment_run.final', idempotency_key: `key-${orderId}`, order_id: orderId, state: 'final' } });
  });

  it('reads at once when a notification comes, long before its next timer, and acts once on a duplicate', async () => {
    const orderId = newOrderId();
    const upstream = scriptedFollowUpActivities([read(order(orderId, 'processing', 'in_process')), read(order(orderId, 'processed', 'accredited'))]);
    const change = { change: 'order.processed|processed|accredited|3', receivedAt: new Date().toISOString() };

    const { result, startedAt } = await runFollowUp(
      upstream.activities,
      followUpInput(orderId, { ...SCHEDULE, pollInitialMs: 3_600_000, pollMaxIntervalMs: 3_600_000 }),
      async (handle) => {
        // The first read (of a change that turns out to be the same state) happens before the duplicate.
        await handle.signal(orderNotificationSignal, { change: 'order.action_required|processing|in_process|2', receivedAt: new Date().toISOString() });
        await waitFor(() => upstream.readTimes.length === 1);
        await handle.signal(orderNotificationSignal, { change: 'order.action_required|processing|in_process|2', receivedAt: new Date().toISOString() });
        await handle.signal(orderNotificationSignal, change);
      },
    );

    expect(result).toMatchObject({ state: 'final', orderStatus: 'processed', reads: 2, notifications: 3, duplicateNotifications: 1 });
    expect(upstream.readTimes.every((at) => at - startedAt < 3_600_000)).toBe(true);
  });

  it('stops at the horizon with the order unsettled, and says so to the client', async () => {
    const orderId = newOrderId();
    const upstream = scriptedFollowUpActivities([read(order(orderId, 'action_required', 'waiting_payment'))], { refusals: 0, configured: true });

    const { result, searchAttributes: attributes } = await runFollowUp(
      upstream.activities,
      followUpInput(orderId, { pollInitialMs: 60_000, pollMaxIntervalMs: 3_600_000, horizonMs: 6 * 3_600_000 }),
    );

    expect(result).toMatchObject({ state: 'horizon_passed', orderStatus: 'action_required', statusDetail: 'waiting_payment', callback: 'delivered' });
    expect(attributes.get(searchAttributes.outcome)).toBe('unsettled');
    expect(upstream.deliveries[0]!.event).toMatchObject({ type: 'payment_run.unsettled', state: 'horizon_passed' });
  });

  it('keeps following when a read fails, and retries the callback with backoff until the client answers 2xx', async () => {
    const orderId = newOrderId();
    const unreadable: OrderRead = { kind: 'unreadable', reason: 'HTTP 503' };
    const upstream = scriptedFollowUpActivities([unreadable, read(order(orderId, 'failed', 'failed'))], { refusals: 3, configured: true });

    const { result, searchAttributes: attributes } = await runFollowUp(upstream.activities, followUpInput(orderId));

    expect(result).toMatchObject({ state: 'final', orderStatus: 'failed', reads: 2, callback: 'delivered' });
    expect(attributes.get(searchAttributes.outcome)).toBe('declined');
    expect(upstream.deliveries).toHaveLength(4);
    // Every attempt delivers the same event: the client de-duplicates by its id.
    expect(new Set(upstream.deliveries.map(({ event }) => event.id)).size).toBe(1);
  });
});

describe('paymentWriteWorkflow and the follow-up of an answer that is not final', () => {
  const writeInput = (orderId: string, followUp: FollowUpSchedule | undefined): PaymentWriteInput => ({
    operation: 'order.process',
    clientId: 'checkout',
    orderId,
    request: { method: 'POST', path: `/v1/orders/${orderId}/process`, idempotencyKey: 'upstream-key-1' },
    attemptTimeoutMs: 10_000,
    retry: { initialIntervalMs: 500, maximumIntervalMs: 30_000, budgetMs: 600_000 },
    attemptActivity: 'regular',
    ...(followUp === undefined ? {} : { followUp }),
  });

  async function runWrite(orderId: string, followUp: FollowUpSchedule | undefined, settled: OrderRead) {
    const upstream = scriptedFollowUpActivities([settled]);
    const answer: UpstreamAttempt = { kind: 'final', status: 200, body: order(orderId, 'processing', 'in_process') };
    const taskQueue = `follow-up-test-${randomUUID()}`;
    const workflowId = `write-${orderId}`;
    const worker = await Worker.create({
      connection: env.nativeConnection,
      namespace: env.namespace,
      taskQueue,
      workflowBundle,
      activities: { ...upstream.activities, sendUpstreamRequest: () => Promise.resolve(answer) },
      sinks: followUpSinks(metrics),
    });
    return worker.runUntil(async () => {
      const result = await env.client.workflow.execute<typeof paymentWriteWorkflow>(PAYMENT_WRITE_WORKFLOW, { workflowId, taskQueue, args: [writeInput(orderId, followUp)] });
      recordHistoryIfAsked(await env.client.workflow.getHandle(workflowId).fetchHistory(), 'regular');
      const followUpHandle = env.client.workflow.getHandle<typeof orderFollowUpWorkflow>(followUpWorkflowId(orderId));
      if (followUp === undefined) return { result, followUp: null };
      const whileFollowing = await followUpHandle.query(followUpStateQuery);
      const description = await followUpHandle.describe();
      return { result, whileFollowing, memo: description.memo, followUp: await followUpHandle.result() };
    });
  }

  it('answers as Mercado Pago did at once, and a follow-up of the order goes on until it settles', async () => {
    const orderId = newOrderId();
    const outcome = await runWrite(orderId, SCHEDULE, read(order(orderId, 'processed', 'accredited')));

    expect(outcome.result).toEqual({ status: 200, body: order(orderId, 'processing', 'in_process') });
    expect(outcome.whileFollowing).toMatchObject({ state: 'awaiting_final_state', orderStatus: 'processing', reads: 0 });
    expect(outcome.memo).toEqual({ [FOLLOW_UP_REQUESTED_BY_MEMO_FIELD]: `write-${orderId}` });
    expect(outcome.followUp).toMatchObject({ state: 'final', orderStatus: 'processed' });
  });

  it('follows nothing when the run was started without a follow-up schedule (FOLLOW_UP_ENABLED off, or runs from before)', async () => {
    const orderId = newOrderId();
    const outcome = await runWrite(orderId, undefined, read(order(orderId, 'processed', 'accredited')));

    expect(outcome.result.status).toBe(200);
    await expect(env.client.workflow.getHandle(followUpWorkflowId(orderId)).describe()).rejects.toThrow(/not found/i);
  });
});

async function waitFor(check: () => boolean): Promise<void> {
  for (let tries = 0; tries < 200 && !check(); tries += 1) await new Promise((resolve) => setTimeout(resolve, 25));
  if (!check()) throw new Error('condition not met in 5 s');
}
