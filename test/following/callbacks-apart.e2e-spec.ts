import { callbackTaskQueue, clientCallbacksQuery, clientCallbacksWorkflowId, followUpStateQuery, orderFollowUpWorkflowId, type FollowUpState } from '@app/contracts';
import { ApiClient, newKey } from '../support/api-client';
import { about, CallbackReceiver, verifiesWith } from '../support/callback-receiver';
import { SimulatorClient } from '../support/simulator-client';
import { CLIENT_TOKENS, TestStack } from '../support/stack';
import { eventually } from '../support/temporal-assertions';
import { scrape, seriesValue } from '../support/prometheus-text';

const CHECKOUT_SECRET = 'e2e-checkout-callback-secret-of-32-characters';
const MARKETPLACE_SECRET = 'e2e-marketplace-callback-secret-of-32-chars';
/**
 * The callback worker's slots (CALLBACK_MAX_CONCURRENT_CLIENTS), fewer than the silent client's
 * pending deliveries; also each client's concurrency (CALLBACK_MAX_CONCURRENT_PER_CLIENT), so that
 * deliveries taking a slot each would take them all.
 */
const CALLBACK_SLOTS = 2;
/** The silent client's payments: each one's event waits on a receiver that never answers. */
const SILENT_PAYMENTS = CALLBACK_SLOTS + 3;
/** The silent client's follow-ups: more than the callback worker's slots, each ending with an event for the silent receiver. */
const SILENT_FOLLOW_UPS = CALLBACK_SLOTS + 1;
/**
 * Each attempt on the silent receiver holds its POST this long (the run's recorded timeout,
 * UPSTREAM_TIMEOUT_MS, and the worker's CALLBACK_ATTEMPT_TIMEOUT_MS): longer than the test, so no
 * slot it holds comes free while the other client waits.
 */
const ATTEMPT_TIMEOUT_MS = '120000';

/** The local-activity slots a worker of the default merchant's namespace has in use on `taskQueue`. */
function taskSlotsUsed(metrics: string, taskQueue: string): number {
  const labels = { namespace: 'default', service_name: 'temporal-core-sdk', task_queue: taskQueue, worker_type: 'LocalActivityWorker' };
  return seriesValue(metrics, 'temporal_worker_task_slots_used', labels);
}

/**
 * Deliveries apart from payment work (issue 27, docs/architecture.md "Callbacks apart from
 * payments"), on the real Temporal server, API, worker and simulator: a client's callbacks go out
 * on the callback task queue, in the callback worker's slots, one slot per client at a time, so a
 * client whose receiver never answers holds one slot, whatever its backlog, and nothing a payment
 * or another client's callback waits for.
 */
describe('callbacks apart from payments, beside a client whose receiver never answers', () => {
  let stack: TestStack;
  let api: ApiClient;
  let simulator: SimulatorClient;
  const answering = new CallbackReceiver();
  const silent = new CallbackReceiver(true);

  beforeAll(async () => {
    await answering.listen();
    await silent.listen();
    // Both processes: the hand-over (run by whichever worker ends the run, the API's hosted one
    // included) gives each event the bounds of the process making it.
    const callbacks = {
      CLIENT_CALLBACK_URLS: `checkout=${answering.url},marketplace=${silent.url}`,
      CLIENT_CALLBACK_SECRETS: `checkout=${CHECKOUT_SECRET},marketplace=${MARKETPLACE_SECRET}`,
      CALLBACK_MAX_CONCURRENT_CLIENTS: String(CALLBACK_SLOTS),
      CALLBACK_MAX_CONCURRENT_PER_CLIENT: String(CALLBACK_SLOTS),
      CALLBACK_ATTEMPT_TIMEOUT_MS: ATTEMPT_TIMEOUT_MS,
    };
    // A follow-up's first read half a second after its answer: the settled order is read at once.
    stack = await TestStack.start({ api: { ...callbacks, UPSTREAM_TIMEOUT_MS: ATTEMPT_TIMEOUT_MS, FOLLOW_UP_POLL_INITIAL_MS: '500' }, worker: callbacks });
    api = new ApiClient(stack.apiUrl);
    simulator = new SimulatorClient(stack.simulatorUrl);
  });
  /** Follow-ups whose callback to the silent client would be retried for days. */
  const followUps: string[] = [];
  /** The worker's local-activity slots in use on the callback and the payment task queues, once a callback holds one. */
  const slotsInUse = () =>
    eventually(
      async () => {
        const metrics = await scrape(`${stack.workerHealthUrl}/metrics`);
        return { callbacks: taskSlotsUsed(metrics, callbackTaskQueue(stack.taskQueue)), payments: taskSlotsUsed(metrics, stack.taskQueue) };
      },
      ({ callbacks }) => callbacks === 1,
    );
  afterAll(async () => {
    // The silent client's callbacks would be retried for days: end its workflows with the stack.
    for (const workflowId of [clientCallbacksWorkflowId(callbackTaskQueue(stack.taskQueue), 'marketplace'), ...followUps]) {
      await stack.temporal.workflow
        .getHandle(workflowId)
        .terminate('test over')
        .catch(() => undefined);
    }
    await stack.stop();
    await silent.close();
    await answering.close();
  });

  it("answers another client's payment and delivers its signed callback while the silent client's pending deliveries outnumber the callback slots", async () => {
    for (let payment = 0; payment < SILENT_PAYMENTS; payment += 1) {
      const answer = await api.processOrder(await simulator.createOrder('APRO'), { key: newKey(), token: CLIENT_TOKENS.marketplace });
      expect(answer.status).toBe(200);
    }
    // Its first event's attempt is held while the others are handed over; once every one is
    // pending, that attempt is refused, and the events due then go out together, as many as the
    // client's concurrency, and hang: its receiver holds a full client's worth of attempts.
    const silentCallbacks = stack.temporal.workflow.getHandle(clientCallbacksWorkflowId(callbackTaskQueue(stack.taskQueue), 'marketplace'));
    await eventually(
      async () => (await silentCallbacks.query(clientCallbacksQuery)).pending.length,
      (pending) => pending === SILENT_PAYMENTS,
    );
    silent.answerHeld(503);
    await eventually(
      () => Promise.resolve(silent.open),
      (open) => open === CALLBACK_SLOTS,
    );
    expect((await silentCallbacks.query(clientCallbacksQuery)).pending.length).toBeGreaterThan(CALLBACK_SLOTS);

    const orderId = await simulator.createOrder('APRO');
    const key = newKey();
    const answer = await api.processOrder(orderId, { key });
    expect(answer.status).toBe(200);
    const [delivery] = await eventually(
      () => Promise.resolve(about(answering, key)),
      (deliveries) => deliveries.length > 0,
    );
    // Once its callbacks workflow holds nothing pending, no second delivery can follow.
    const checkoutCallbacks = stack.temporal.workflow.getHandle(clientCallbacksWorkflowId(callbackTaskQueue(stack.taskQueue), 'checkout'));
    await eventually(
      async () => (await checkoutCallbacks.query(clientCallbacksQuery)).pending.length,
      (pending) => pending === 0,
    );
    expect(about(answering, key)).toHaveLength(1);
    expect(verifiesWith(CHECKOUT_SECRET, delivery!)).toBe(true);
    expect(JSON.parse(delivery!.body)).toMatchObject({ type: 'payment_run.final', idempotency_key: key, order_id: orderId, state: 'final' });
    // Delivered beside the silent client's attempts, all still held open: none came free for it.
    expect(silent.open).toBe(CALLBACK_SLOTS);
    // Where the attempts wait (the worker's Temporal Core gauges): once the other client's
    // delivery is over, the silent client's attempts hold one local-activity slot of the callback
    // worker, on `<TEMPORAL_TASK_QUEUE>-callbacks`, and none of the payment worker's.
    expect(await slotsInUse()).toEqual({ callbacks: 1, payments: 0 });
  });

  it("delivers another client's follow-up callback while the silent client's ended follow-ups outnumber the callback slots", async () => {
    const silentFollowUps: string[] = [];
    for (let followUp = 0; followUp < SILENT_FOLLOW_UPS; followUp += 1) {
      const orderId = await simulator.createOrder('CONT');
      const answer = await api.processOrder(orderId, { key: newKey(), token: CLIENT_TOKENS.marketplace });
      expect(answer.body).toMatchObject({ id: orderId, status: 'processing' });
      silentFollowUps.push(orderFollowUpWorkflowId(orderId));
      followUps.push(orderFollowUpWorkflowId(orderId));
      await simulator.settle(orderId, 'approved');
    }
    // Each has read its settled order, so its event is on its way to the receiver that never
    // answers: more of them than the callback worker has slots.
    const stateOf = (workflowId: string): Promise<FollowUpState> => stack.temporal.workflow.getHandle(workflowId).query(followUpStateQuery);
    await eventually(
      () => Promise.all(silentFollowUps.map(stateOf)),
      (states) => states.every(({ state }) => state === 'final'),
    );

    const orderId = await simulator.createOrder('CONT');
    const key = newKey();
    const answer = await api.processOrder(orderId, { key });
    expect(answer.body).toMatchObject({ id: orderId, status: 'processing' });
    followUps.push(orderFollowUpWorkflowId(orderId));
    await simulator.settle(orderId, 'approved');

    // Delivered while the silent client's events wait on its receiver: none of them holds more
    // than its client's one slot of the callback worker (docs/architecture.md, "Callbacks apart from payments").
    const [delivery] = await eventually(
      () => Promise.resolve(about(answering, key)),
      (deliveries) => deliveries.length > 0,
    );
    expect(verifiesWith(CHECKOUT_SECRET, delivery!)).toBe(true);
    expect(JSON.parse(delivery!.body)).toMatchObject({ type: 'payment_run.final', idempotency_key: key, order_id: orderId, state: 'final', order: { status: 'processed' } });
    // Each silent follow-up ended once its event was with its client's callbacks workflow, which
    // retries it to the horizon: none of them called the receiver itself.
    const ended = await Promise.all(silentFollowUps.map((workflowId) => stack.temporal.workflow.getHandle(workflowId).result() as Promise<FollowUpState>));
    expect(ended.map(({ callback }) => callback)).toEqual(Array(SILENT_FOLLOW_UPS).fill('handed_over'));
    expect(await slotsInUse()).toEqual({ callbacks: 1, payments: 0 });
  });
});
