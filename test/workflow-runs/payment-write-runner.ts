import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { temporal } from '@temporalio/proto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime, Worker, type WorkflowBundle } from '@temporalio/worker';
import {
  PAYMENT_WRITE_WORKFLOW,
  runStateQuery,
  searchAttributes,
  type AttemptActivityKind,
  type OrderReadRequest,
  type PaymentActivities,
  type PaymentRunState,
  type PaymentWriteInput,
  type PaymentWriteResult,
  PAYMENT_RUN_STEPS_REVISION,
} from '@app/contracts';
import { addSearchAttributes } from '../../scripts/register-search-attributes';
import { historyAsJson } from './recorded-history';
import { scriptedUpstream, type OrderReadScript, type ScriptStep, type UpstreamCall } from './scripted-upstream';
import { workflowBundleOfSource } from './bundled-from-source';

/**
 * The time-skipping test server, from the executable test/support/time-skipping-setup.ts found (the
 * SDK downloads nothing), with the project's search attributes: runs upsert them, and the test
 * server, like a real one, fails a task that sets unknown ones.
 */
async function timeSkippingEnvironment(): Promise<TestWorkflowEnvironment> {
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: process.env.TEMPORAL_TEST_SERVER_PATH! } },
  });
  await addSearchAttributes(env.connection, env.namespace ?? 'default', Object.values(searchAttributes));
  return env;
}

/** The calling file's runtime and bundle: made once, however many servers the file starts. */
let fileBundle: Promise<WorkflowBundle> | undefined;

/**
 * A time-skipping server of the calling test file's own (called inside a describe: of that
 * describe's own), with the workflow bundle: started before its tests (handed to `ready`) and torn
 * down after them. The server stops skipping time for good once it holds a time lock nothing will
 * release: a run a test leaves waiting for a worker that is gone (order-create.timeskip-spec.ts), or
 * a child started with ParentClosePolicy.ABANDON that completes after its parent closed
 * (follow-up.timeskip-spec.ts). Tests after such a test need a server of their own.
 */
export function onTimeSkippingServer(ready: (env: TestWorkflowEnvironment, workflowBundle: WorkflowBundle) => void): void {
  let env: TestWorkflowEnvironment | undefined;
  beforeAll(async () => {
    const workflowBundle = await (fileBundle ??= quietRuntimeAndWorkflowBundle());
    env = await timeSkippingEnvironment();
    ready(env, workflowBundle);
  });
  afterAll(async () => env?.teardown());
}

/** The SDK's runtime logging warnings only, and the workflow code bundled from source, as a worker would run it. */
export async function quietRuntimeAndWorkflowBundle(): Promise<WorkflowBundle> {
  const logger = new DefaultLogger('WARN');
  Runtime.install({ logger });
  return workflowBundleOfSource(logger);
}

export interface PaymentWriteRun {
  result: PaymentWriteResult | null;
  error: unknown;
  state: PaymentRunState;
  history: temporal.api.history.v1.IHistory;
}

/** A process-order write with the given timing; the upstream request is the same in every scenario. */
export function processOrderInput(attemptActivity: AttemptActivityKind, timing: ScriptTiming): PaymentWriteInput {
  return {
    operation: 'order.process',
    clientId: 'checkout',
    orderId: 'ORD01J49MMW3SSBK5PSV3DFR32959',
    request: { method: 'POST', path: '/v1/orders/ORD01J49MMW3SSBK5PSV3DFR32959/process', idempotencyKey: 'upstream-key-1' },
    attemptActivity,
    ...timing,
    stepsRevision: PAYMENT_RUN_STEPS_REVISION,
  };
}

export type ScriptTiming = Pick<PaymentWriteInput, 'attemptTimeoutMs' | 'retry'>;

/** The API's defaults (apps/api/src/api-config.ts): a 10 s attempt, 0.5 s to 30 s backoff, 10 minutes in all. */
export const PRODUCTION_TIMING = {
  attemptTimeoutMs: 10_000,
  retry: { initialIntervalMs: 500, maximumIntervalMs: 30_000, budgetMs: 600_000 },
} as const satisfies ScriptTiming;

/**
 * Runs a process-order write against a scripted upstream, returning also the calls it saw;
 * `overrides` make it another write (an order create).
 */
export async function runScript(
  env: TestWorkflowEnvironment,
  workflowBundle: WorkflowBundle,
  attemptActivity: AttemptActivityKind,
  timing: ScriptTiming,
  script: readonly ScriptStep[],
  orderRead?: OrderReadScript,
  overrides: Partial<PaymentWriteInput> = {},
): Promise<PaymentWriteRun & { calls: UpstreamCall[]; reads: OrderReadRequest[] }> {
  const upstream = scriptedUpstream(script, () => env.currentTimeMs(), orderRead);
  const outcome = await runPaymentWrite(env, workflowBundle, upstream, { ...processOrderInput(attemptActivity, timing), ...overrides });
  return { ...outcome, calls: upstream.calls, reads: upstream.reads };
}

/**
 * Runs one paymentWriteWorkflow to its end on a worker of its own (its own task queue), with the
 * real workflow code and the given activities, and reads its state. On the time-skipping server,
 * awaiting the result lets the server skip ahead whenever the run only waits on a timer.
 */
async function runPaymentWrite(env: TestWorkflowEnvironment, workflowBundle: WorkflowBundle, activities: PaymentActivities, input: PaymentWriteInput): Promise<PaymentWriteRun> {
  const taskQueue = `workflow-test-${randomUUID()}`;
  const workflowId = `workflow-test-${randomUUID()}`;
  const worker = await Worker.create({ connection: env.nativeConnection, namespace: env.namespace, taskQueue, workflowBundle, activities });
  // Queries are answered by a worker, even on closed runs: read the state before it stops.
  return worker.runUntil(async () => {
    const outcome = await env.client.workflow
      .execute(PAYMENT_WRITE_WORKFLOW, { workflowId, taskQueue, args: [input] })
      .then((result: PaymentWriteResult) => ({ result, error: null }))
      .catch((error: unknown) => ({ result: null, error }));
    const handle = env.client.workflow.getHandle(workflowId);
    const state = await handle.query(runStateQuery);
    const history = await handle.fetchHistory();
    recordHistoryIfAsked(history, input.attemptActivity ?? 'regular');
    return { ...outcome, state, history };
  });
}

const RECORDED_HISTORIES = join(__dirname, 'histories');

/**
 * `npm run record-workflow-histories`: keeps this run's history as a fixture, named after `kind`
 * (the attempt kind, or `follow-up`) and the test, which test/workflow-runs/history-replay.spec.ts
 * replays against the current workflow code.
 */
export function recordHistoryIfAsked(history: temporal.api.history.v1.IHistory, kind: string): void {
  if (process.env.RECORD_WORKFLOW_HISTORIES !== '1') return;
  const scenario = (expect.getState().currentTestName ?? 'unnamed').replace(/^.* activities /, '');
  const name = `${kind}--${scenario
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')}.json`;
  mkdirSync(RECORDED_HISTORIES, { recursive: true });
  writeFileSync(join(RECORDED_HISTORIES, name), `${JSON.stringify(historyAsJson(history), null, 1)}\n`);
}
