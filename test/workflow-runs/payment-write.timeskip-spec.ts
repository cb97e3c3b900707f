import { randomUUID } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import { WorkflowFailedError } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker, type WorkflowBundle } from '@temporalio/worker';
import { attemptActivityKinds, PAYMENT_RUN_STEPS_REVISION, PAYMENT_WRITE_WORKFLOW, RETRY_BUDGET_EXHAUSTED, type UpstreamRead } from '@app/contracts';
import type { paymentWriteWorkflow } from '@app/workflows';
import { eventually } from '../support/temporal-assertions';
import { onTimeSkippingServer, processOrderInput, PRODUCTION_TIMING, runScript } from './payment-write-runner';
import { final, paused, retryable, scriptedUpstream, type OrderReadScript, type ScriptStep } from './scripted-upstream';
import { timerDelaysMs } from './workflow-history';

let env: TestWorkflowEnvironment;
let workflowBundle: WorkflowBundle;

onTimeSkippingServer((server, bundle) => {
  env = server;
  workflowBundle = bundle;
});

const processedOrder = { id: 'ORD01J49MMW3SSBK5PSV3DFR32959', status: 'processed', status_detail: 'accredited' };

// Time skips only while a test awaits a run's result, and skipping is global to the server: the
// runs go one at a time (jest --runInBand, and the tests of a file in order).
describe.each(attemptActivityKinds)('paymentWriteWorkflow on the time-skipping server, with scripted %s activities', (attemptActivity) => {
  const run = (script: readonly ScriptStep[], orderRead?: OrderReadScript) => runScript(env, workflowBundle, attemptActivity, PRODUCTION_TIMING, script, orderRead);

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

  // docs/operations.md, "Pausing a merchant's upstream attempts": the worker sends nothing while the
  // merchant is paused and answers `paused`; the run waits, and its paused time is not the budget's.
  it('waits while the merchant is paused, counting no attempt and none of the paused time against its budget', async () => {
    const shortBudget = { attemptTimeoutMs: 2_000, retry: { initialIntervalMs: 500, maximumIntervalMs: 1_000, budgetMs: 5_000 } };
    const { result, calls, state, history } = await runScript(env, workflowBundle, attemptActivity, shortBudget, [...Array.from({ length: 8 }, () => paused), final(200)]);

    expect(result).toEqual({ status: 200, body: { id: 'ORD01J49MMW3SSBK5PSV3DFR32959' } });
    expect(calls).toHaveLength(9);
    expect(state).toEqual({ phase: 'completed', attempts: 1, lastUpstreamStatus: 200, lastFailureReason: null, nextAttemptAt: null });
    // Eight looks, 1 s doubling to 10 s with jitter (libs/workflows/src/payment-run/wait-while-paused.ts): far past the budget.
    expect(timerDelaysMs(history)).toHaveLength(8);
    expect(calls.at(-1)!.at - calls[0]!.at).toBeGreaterThan(shortBudget.retry.budgetMs);
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

// libs/workflows/src/payment-run/steps-revision.ts: a newer API's run, met by an older worker.
describe('paymentWriteWorkflow started at a steps revision its worker does not know', () => {
  it('fails its workflow task, never the run, and sends nothing, so that a worker that knows the revision can take it', async () => {
    const upstream = scriptedUpstream([final(200)], () => env.currentTimeMs());
    const taskQueue = `workflow-test-${randomUUID()}`;
    const worker = await Worker.create({ connection: env.nativeConnection, namespace: env.namespace, taskQueue, workflowBundle, activities: upstream });
    const input = { ...processOrderInput('first_local', PRODUCTION_TIMING), stepsRevision: PAYMENT_RUN_STEPS_REVISION + 1 };

    const handle = await env.client.workflow.start<typeof paymentWriteWorkflow>(PAYMENT_WRITE_WORKFLOW, { workflowId: `workflow-test-${randomUUID()}`, taskQueue, args: [input] });
    const failed = await worker.runUntil(
      eventually(
        async () => (await handle.fetchHistory()).events?.find((event) => event.workflowTaskFailedEventAttributes)?.workflowTaskFailedEventAttributes?.failure?.message,
        (message) => message !== undefined,
      ),
    );

    expect(failed).toContain(`this run takes the steps of revision ${PAYMENT_RUN_STEPS_REVISION + 1}`);
    expect(upstream.calls).toEqual([]);
    expect((await handle.describe()).status.name).toBe('RUNNING');
    await handle.terminate('test over');
  });
});
