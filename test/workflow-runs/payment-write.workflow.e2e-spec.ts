import { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkflowBundle } from '@temporalio/worker';
import { attemptActivityKinds } from '@app/contracts';
import { quietRuntimeAndWorkflowBundle, runScript, type ScriptTiming } from './payment-write-runner';
import { final, late, retryable } from './scripted-upstream';

/**
 * Short waits: this server's timers take real time. The timing rules themselves (backoff,
 * Retry-After, the budget) are tested on the time-skipping server (payment-write.timeskip-spec.ts).
 */
const SHORT_TIMING = {
  attemptTimeoutMs: 1_000,
  retry: { initialIntervalMs: 50, maximumIntervalMs: 200, budgetMs: 20_000 },
} as const satisfies ScriptTiming;

let env: TestWorkflowEnvironment;
let workflowBundle: WorkflowBundle;

beforeAll(async () => {
  workflowBundle = await quietRuntimeAndWorkflowBundle();
  env = await TestWorkflowEnvironment.createFromExistingServer({ address: process.env.TEST_TEMPORAL_ADDRESS! });
});
afterAll(async () => env?.teardown());

// One run per attempt kind on the real server the product uses: its dispatch, and a real attempt
// timeout, which for local activities the worker enforces in real time and no server can skip.
describe.each(attemptActivityKinds)('paymentWriteWorkflow on the real dev server, with scripted %s activities', (attemptActivity) => {
  it('retries a lost attempt and a retryable answer with the same upstream key, then returns the final answer', async () => {
    // attemptTimeoutMs is 1 s, so Temporal times the first attempt out after 6 s (its 5 s margin).
    const { result, calls, state } = await runScript(env, workflowBundle, attemptActivity, SHORT_TIMING, [late(7_000, final(200)), retryable(503), final(201)]);

    expect(result).toEqual({ status: 201, body: { id: 'ORD01J49MMW3SSBK5PSV3DFR32959' } });
    expect(calls).toHaveLength(3);
    expect(new Set(calls.map(({ request }) => request.idempotencyKey))).toEqual(new Set(['upstream-key-1']));
    expect(state).toEqual({ phase: 'completed', attempts: 3, lastUpstreamStatus: 201, lastFailureReason: null, nextAttemptAt: null });
  }, 60_000);
});
