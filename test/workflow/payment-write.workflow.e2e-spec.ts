import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client, Connection, WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Runtime, Worker, type WorkflowBundle } from '@temporalio/worker';
import {
  attemptActivityKinds,
  PAYMENT_WRITE_WORKFLOW,
  RETRY_BUDGET_EXHAUSTED,
  runStateQuery,
  type PaymentWriteInput,
  type PaymentWriteResult,
  type UpstreamAttempt,
  type UpstreamRequest,
} from '@app/contracts';
import { WORKFLOWS_PATH } from '@app/workflows/workflows-path';
import { historyAsJson } from './recorded-history';

const retryable = (status: number | null, retryAfterMs: number | null = null): UpstreamAttempt => ({
  kind: 'retryable',
  status,
  reason: status === null ? 'network error: ECONNRESET' : `HTTP ${status}`,
  retryAfterMs,
});
const final = (status: number, body: PaymentWriteResult['body'] = { id: 'ORD01J49MMW3SSBK5PSV3DFR32959' }): UpstreamAttempt => ({
  kind: 'final',
  status,
  body,
});

/** An answer that comes only after `afterMs`: past the activity's timeout, the attempt is lost. */
interface LateAnswer {
  afterMs: number;
  answer: UpstreamAttempt;
}
const late = (afterMs: number, answer: UpstreamAttempt): LateAnswer => ({ afterMs, answer });
type ScriptStep = UpstreamAttempt | Error | LateAnswer;

/** Scripted activity: answers from the list in order, recording each request and its time. */
function scriptedUpstream(script: readonly ScriptStep[]) {
  const calls: { request: UpstreamRequest; at: number }[] = [];
  return {
    calls,
    sendUpstreamRequest: (request: UpstreamRequest): Promise<UpstreamAttempt> => {
      calls.push({ request, at: Date.now() });
      const next = script[Math.min(calls.length, script.length) - 1]!;
      if (next instanceof Error) return Promise.reject(next);
      if ('afterMs' in next) return new Promise((resolve) => setTimeout(() => resolve(next.answer), next.afterMs));
      return Promise.resolve(next);
    },
  };
}

let workflowBundle: WorkflowBundle;
const RECORDED_HISTORIES = join(__dirname, 'histories');

beforeAll(async () => {
  const logger = new DefaultLogger('WARN');
  Runtime.install({ logger });
  workflowBundle = await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger });
});

// The retry loop, its backoff and Retry-After must hold whichever way attempts reach the worker.
describe.each(attemptActivityKinds)('paymentWriteWorkflow with scripted %s activities on a real Temporal server', (attemptActivity) => {
  let connection: NativeConnection;
  let client: Client;

  beforeAll(async () => {
    const address = process.env.TEST_TEMPORAL_ADDRESS!;
    connection = await NativeConnection.connect({ address });
    client = new Client({ connection: await Connection.connect({ address }) });
  });
  afterAll(async () => {
    await client.connection.close();
    await connection.close();
  });

  async function run(script: readonly ScriptStep[], budgetMs = 20_000) {
    const taskQueue = `workflow-test-${randomUUID()}`;
    const upstream = scriptedUpstream(script);
    const worker = await Worker.create({ connection, taskQueue, workflowBundle, activities: upstream });
    const input: PaymentWriteInput = {
      operation: 'order.process',
      clientId: 'checkout',
      orderId: 'ORD01J49MMW3SSBK5PSV3DFR32959',
      request: { method: 'POST', path: '/v1/orders/ORD01J49MMW3SSBK5PSV3DFR32959/process', idempotencyKey: 'upstream-key-1' },
      attemptTimeoutMs: 1_000,
      retry: { initialIntervalMs: 50, maximumIntervalMs: 200, budgetMs },
      attemptActivity,
    };
    const workflowId = `workflow-test-${randomUUID()}`;
    // Queries are answered by a worker, even on closed runs: read the state before it stops.
    return worker.runUntil(async () => {
      const outcome = await client.workflow
        .execute(PAYMENT_WRITE_WORKFLOW, { workflowId, taskQueue, args: [input] })
        .then((result: PaymentWriteResult) => ({ result, error: null }))
        .catch((error: unknown) => ({ result: null, error }));
      const state = await client.workflow.getHandle(workflowId).query(runStateQuery);
      if (process.env.RECORD_WORKFLOW_HISTORIES === '1') await recordHistory(workflowId);
      return { ...outcome, calls: upstream.calls, state };
    });
  }

  /**
   * `npm run record-workflow-histories`: keeps this run's history as a fixture, which
   * test/workflow/history-replay.spec.ts replays against the current workflow code.
   */
  async function recordHistory(workflowId: string): Promise<void> {
    const history = await client.workflow.getHandle(workflowId).fetchHistory();
    const scenario = (expect.getState().currentTestName ?? workflowId).replace(/^.*activities on a real Temporal server /, '');
    const name = `${attemptActivity}--${scenario.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '')}.json`;
    mkdirSync(RECORDED_HISTORIES, { recursive: true });
    writeFileSync(join(RECORDED_HISTORIES, name), `${JSON.stringify(historyAsJson(history), null, 1)}\n`);
  }

  it('retries retryable attempts with the same upstream key, then returns the final answer', async () => {
    const { result, calls, state } = await run([retryable(503), retryable(null), final(200)]);

    expect(result).toEqual({ status: 200, body: { id: 'ORD01J49MMW3SSBK5PSV3DFR32959' } });
    expect(calls).toHaveLength(3);
    expect(new Set(calls.map(({ request }) => request.idempotencyKey))).toEqual(new Set(['upstream-key-1']));
    expect(calls.every(({ request }) => request.timeoutMs === 1_000)).toBe(true);
    expect(state).toEqual({ phase: 'completed', attempts: 3, lastUpstreamStatus: 200, lastFailureReason: null, nextAttemptAt: null });
  });

  it('returns a final decline at once, without retrying', async () => {
    const decline = { errors: [{ code: 'failed', message: 'The following transactions failed' }], data: { status: 'failed' } };
    const { result, calls } = await run([final(402, decline), final(200)]);

    expect(result).toEqual({ status: 402, body: decline });
    expect(calls).toHaveLength(1);
  });

  it('waits at least the Retry-After the upstream asked for', async () => {
    const { result, calls } = await run([retryable(429, 1_200), final(200)]);

    expect(result?.status).toBe(200);
    expect(calls[1]!.at - calls[0]!.at).toBeGreaterThanOrEqual(1_200);
  });

  it('treats a failed or lost activity as one more retryable attempt', async () => {
    const crash = ApplicationFailure.create({ message: 'activity blew up', nonRetryable: true });
    const { result, calls, state } = await run([crash, final(200)]);

    expect(result?.status).toBe(200);
    expect(calls).toHaveLength(2);
    expect(state.attempts).toBe(2);
  });

  it('treats an attempt that outlives its timeout as lost, and tries again', async () => {
    // attemptTimeoutMs is 1 s, so Temporal times the attempt out after 6 s (its 5 s margin).
    const { result, calls } = await run([late(7_000, final(200)), final(201)]);

    expect(result?.status).toBe(201);
    expect(calls).toHaveLength(2);
  }, 60_000);

  it('fails with RetryBudgetExhausted when no final answer comes within the budget', async () => {
    const { error, calls, state } = await run([retryable(503)], 2_000);

    expect(error).toBeInstanceOf(WorkflowFailedError);
    expect(((error as WorkflowFailedError).cause as ApplicationFailure).type).toBe(RETRY_BUDGET_EXHAUSTED);
    expect(calls.length).toBeGreaterThan(2);
    expect(state).toMatchObject({ phase: 'gave_up', lastUpstreamStatus: 503, lastFailureReason: 'HTTP 503' });
  });
});
