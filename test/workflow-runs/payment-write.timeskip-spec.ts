import { ApplicationFailure } from '@temporalio/common';
import { WorkflowFailedError } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkflowBundle } from '@temporalio/worker';
import {
  attemptActivityKinds,
  ORDER_OWNER_MEMO_FIELD,
  ORDER_OWNERSHIP_WORKFLOW,
  orderOwnershipWorkflowId,
  RETRY_BUDGET_EXHAUSTED,
  searchAttributes,
  type PaymentWriteInput,
  type UpstreamRead,
} from '@app/contracts';
import { quietRuntimeAndWorkflowBundle, timeSkippingEnvironment, runScript, type ScriptTiming } from './payment-write-runner';
import { final, newOrderId, retryable, type OrderReadScript, type ScriptStep } from './scripted-upstream';
import { timerDelaysMs } from './workflow-history';

/** The API's defaults (apps/api/src/api-config.ts): a 10 s attempt, 0.5 s to 30 s backoff, 10 minutes in all. */
const PRODUCTION_TIMING = {
  attemptTimeoutMs: 10_000,
  retry: { initialIntervalMs: 500, maximumIntervalMs: 30_000, budgetMs: 600_000 },
} as const satisfies ScriptTiming;

let env: TestWorkflowEnvironment;
let workflowBundle: WorkflowBundle;

beforeAll(async () => {
  workflowBundle = await quietRuntimeAndWorkflowBundle();
  env = await timeSkippingEnvironment();
});
afterAll(async () => env?.teardown());

const processedOrder = { id: 'ORD01J49MMW3SSBK5PSV3DFR32959', status: 'processed', status_detail: 'accredited' };

// Time skips only while a test awaits a run's result, and skipping is global to the server: the
// runs go one at a time (jest --runInBand, and the tests of a file in order).
describe.each(attemptActivityKinds)('paymentWriteWorkflow on the time-skipping server, with scripted %s activities', (attemptActivity) => {
  const run = (script: readonly ScriptStep[], orderRead?: OrderReadScript, overrides?: Partial<PaymentWriteInput>) =>
    runScript(env, workflowBundle, attemptActivity, PRODUCTION_TIMING, script, orderRead, overrides);

  it('retries retryable attempts with the same upstream key, then returns the final answer', async () => {
    const { result, calls, state } = await run([retryable(503), retryable(null), final(200)]);

    expect(result).toEqual({ status: 200, body: { id: 'ORD01J49MMW3SSBK5PSV3DFR32959' } });
    expect(calls).toHaveLength(3);
    expect(new Set(calls.map(({ request }) => request.idempotencyKey))).toEqual(new Set(['upstream-key-1']));
    expect(calls.every(({ request }) => request.timeoutMs === PRODUCTION_TIMING.attemptTimeoutMs)).toBe(true);
    expect(state).toEqual({ phase: 'completed', attempts: 3, lastUpstreamStatus: 200, lastFailureReason: null, nextAttemptAt: null });
  });

  it('backs off exponentially with jitter, capped at the maximum interval', async () => {
    const { result, calls, history } = await run([...Array.from({ length: 9 }, () => retryable(503)), final(200)]);

    expect(result?.status).toBe(200);
    expect(calls).toHaveLength(10);
    // Each wait lies between half of its step and the step (equal jitter, libs/workflows/src/retry-delay.ts).
    const steps = [500, 1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000];
    const delays = timerDelaysMs(history);
    expect(delays).toHaveLength(steps.length);
    delays.forEach((delay, index) => {
      expect(delay).toBeGreaterThanOrEqual(steps[index]! / 2);
      expect(delay).toBeLessThanOrEqual(steps[index]!);
    });
    // And the server waited them out: each attempt came no earlier than its timer allowed.
    delays.forEach((delay, index) => expect(calls[index + 1]!.at - calls[index]!.at).toBeGreaterThanOrEqual(delay));
  });

  it('returns a final decline at once, without retrying', async () => {
    const decline = { errors: [{ code: 'failed', message: 'The following transactions failed' }], data: { status: 'failed' } };
    const { result, calls, history } = await run([final(402, decline), final(200)]);

    expect(result).toEqual({ status: 402, body: decline });
    expect(calls).toHaveLength(1);
    expect(timerDelaysMs(history)).toEqual([]);
  });

  it('waits at least the Retry-After the upstream asked for, even past the maximum interval', async () => {
    const { result, calls, history } = await run([retryable(429, 120_000), final(200)]);

    expect(result?.status).toBe(200);
    expect(timerDelaysMs(history)).toEqual([120_000]);
    expect(calls[1]!.at - calls[0]!.at).toBeGreaterThanOrEqual(120_000);
  });

  it('treats a failed or lost activity as one more retryable attempt', async () => {
    const crash = ApplicationFailure.create({ message: 'activity blew up', nonRetryable: true });
    const { result, calls, state } = await run([crash, final(200)]);

    expect(result?.status).toBe(200);
    expect(calls).toHaveLength(2);
    expect(state.attempts).toBe(2);
  });

  it('fails with RetryBudgetExhausted once the next wait would end past the budget', async () => {
    const { error, calls, state, history } = await run([retryable(503)]);

    expect(error).toBeInstanceOf(WorkflowFailedError);
    expect(((error as WorkflowFailedError).cause as ApplicationFailure).type).toBe(RETRY_BUDGET_EXHAUSTED);
    expect(state).toMatchObject({ phase: 'gave_up', lastUpstreamStatus: 503, lastFailureReason: 'HTTP 503' });
    const { budgetMs, maximumIntervalMs } = PRODUCTION_TIMING.retry;
    // It waited only within the budget, and gave up no earlier than one maximum wait before its end
    // (a second one of slack covers the first attempt starting a moment after the run).
    expect(timerDelaysMs(history).reduce((sum, delay) => sum + delay, 0)).toBeLessThanOrEqual(budgetMs);
    expect(calls.at(-1)!.at - calls[0]!.at).toBeGreaterThanOrEqual(budgetMs - 2 * maximumIntervalMs);
    expect(state.attempts).toBe(calls.length);
  });

  describe('an order create', () => {
    const create = (ownership?: PaymentWriteInput['ownership']): Partial<PaymentWriteInput> => ({
      operation: 'order.create',
      orderId: null,
      request: { method: 'POST', path: '/v1/orders', idempotencyKey: 'upstream-key-1', body: { type: 'online' } },
      ...(ownership === undefined ? {} : { ownership }),
    });

    it("records the order's owner before the order id leaves the run in any way (a merchant with several clients)", async () => {
      const orderId = newOrderId();
      const created = { id: orderId, status: 'created' };

      const { result, history } = await run([retryable(503), final(201, created)], undefined, create({ keepForMs: 86_400_000 }));
      const recordHandle = env.client.workflow.getHandle(orderOwnershipWorkflowId(orderId));
      const record = await recordHandle.describe();
      // An open record, its worker gone after this test, would hold the server's time skipping for
      // every later test of the file (seen: each budget test then waited in real time and timed out).
      if (record.status.name === 'RUNNING') await recordHandle.terminate('the test has read the record');

      expect(result).toEqual({ status: 201, body: created, ownerRecorded: true });
      // In the run's history the record started before the order id reached its search attributes
      // (the status resource reads it there), and before the run completed with the answer.
      const events = history.events ?? [];
      const recordStarted = events.findIndex((event) => event.childWorkflowExecutionStartedEventAttributes?.workflowType?.name === ORDER_OWNERSHIP_WORKFLOW);
      const orderIdShown = events.findIndex((event) => JSON.stringify(event.upsertWorkflowSearchAttributesEventAttributes ?? {}).includes(searchAttributes.orderId.name));
      const completed = events.findIndex((event) => event.workflowExecutionCompletedEventAttributes);
      expect(recordStarted).toBeGreaterThan(0);
      expect(recordStarted).toBeLessThan(orderIdShown);
      expect(orderIdShown).toBeLessThan(completed);
      const initiated = events.find((event) => event.startChildWorkflowExecutionInitiatedEventAttributes)?.startChildWorkflowExecutionInitiatedEventAttributes;
      expect(initiated).toMatchObject({ workflowId: orderOwnershipWorkflowId(orderId), parentClosePolicy: temporal.api.enums.v1.ParentClosePolicy.PARENT_CLOSE_POLICY_ABANDON });
      // Abandoned, the record outlives the run (here the server may skip through its wait too), naming
      // its client, found by order and client like records the API started.
      expect(record.memo).toEqual({ [ORDER_OWNER_MEMO_FIELD]: 'checkout' });
      expect(record.typedSearchAttributes.get(searchAttributes.orderId)).toBe(orderId);
      expect(record.typedSearchAttributes.get(searchAttributes.clientId)).toBe('checkout');
    });

    it('records no owner when its input asks for none (a merchant with a single client, and runs from before)', async () => {
      const orderId = newOrderId();

      const { result, history } = await run([final(201, { id: orderId, status: 'created' })], undefined, create());

      expect(result).toEqual({ status: 201, body: { id: orderId, status: 'created' } });
      expect((history.events ?? []).some((event) => event.startChildWorkflowExecutionInitiatedEventAttributes)).toBe(false);
    });
  });

  describe('when the budget runs out, a read of the order settles the write', () => {
    it('answers 200 with the order when the read shows it processed (every answer was lost on the way back)', async () => {
      const { result, reads, state } = await run([retryable(null)], { kind: 'read', status: 200, body: processedOrder });

      expect(result).toEqual({ status: 200, body: processedOrder });
      expect(reads).toEqual([{ orderId: 'ORD01J49MMW3SSBK5PSV3DFR32959', timeoutMs: PRODUCTION_TIMING.attemptTimeoutMs }]);
      expect(state).toMatchObject({ phase: 'completed', lastUpstreamStatus: 200, lastFailureReason: null });
    });

    it.each<[string, UpstreamRead]>([
      ['still created', { kind: 'read', status: 200, body: { id: 'ORD01J49MMW3SSBK5PSV3DFR32959', status: 'created' } }],
      ['only processing (which creation also leads to)', { kind: 'read', status: 200, body: { id: 'ORD01J49MMW3SSBK5PSV3DFR32959', status: 'processing' } }],
      ['not found', { kind: 'read', status: 404, body: { errors: [{ code: 'order_not_found', message: 'Order not found.' }] } }],
      ['unreadable', { kind: 'unreadable', reason: 'timeout after 10000 ms' }],
    ])('gives up as before when the order is %s', async (_case, orderRead) => {
      const { error, reads, state } = await run([retryable(503)], orderRead);

      expect(((error as WorkflowFailedError).cause as ApplicationFailure).type).toBe(RETRY_BUDGET_EXHAUSTED);
      expect(reads).toHaveLength(1);
      expect(state.phase).toBe('gave_up');
    });
  });
});

// docs/api.md, "Settling a write nobody answered": Temporal tries a lost read (its activity failed or
// timed out) up to 3 times in all. That read is a regular activity whatever the attempt kind: one kind shows it.
describe('paymentWriteWorkflow on the time-skipping server, when the give-up read is lost', () => {
  const lostRead = new Error('read lost with its worker');
  const run = (orderRead: OrderReadScript) => runScript(env, workflowBundle, 'regular', PRODUCTION_TIMING, [retryable(null)], orderRead);

  it('tries it again, up to 3 times in all: two lost, the third settles the write', async () => {
    const { result, reads } = await run([lostRead, lostRead, { kind: 'read', status: 200, body: processedOrder }]);

    expect(result).toEqual({ status: 200, body: processedOrder });
    expect(reads).toHaveLength(3);
  });

  it('gives up as before when all 3 are lost, and reads no fourth time', async () => {
    const { error, reads, state } = await run([lostRead, lostRead, lostRead, { kind: 'read', status: 200, body: processedOrder }]);

    expect(((error as WorkflowFailedError).cause as ApplicationFailure).type).toBe(RETRY_BUDGET_EXHAUSTED);
    expect(reads).toHaveLength(3);
    expect(state.phase).toBe('gave_up');
  });
});
