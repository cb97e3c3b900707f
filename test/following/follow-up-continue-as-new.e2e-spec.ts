import { FOLLOW_UP_REQUESTED_BY_MEMO_FIELD, orderFollowUpWorkflowId, searchAttributes } from '@app/contracts';
import { freePort } from '../../scripts/lib/free-port';
import type { Supervised } from '../../scripts/lib/processes';
import { startTemporalDevServer } from '../../scripts/lib/temporal-dev-server';
import { ApiClient, newKey } from '../support/api-client';
import { SimulatorClient } from '../support/simulator-client';
import { TestStack } from '../support/stack';
import { suiteDevServerOptions } from '../support/suite-dev-server';
import { eventually } from '../support/temporal-assertions';

/**
 * A follow-up that outgrows its history continues as new (libs/workflows/src/follow-up.workflow.ts)
 * when Temporal suggests it. Temporal suggests it at 4 Ki events by default; this test's own dev
 * server suggests it at 30 (`limit.historyCount.suggestContinueAsNew`), so a follow-up polling every
 * 50 ms continues as new every few reads, and the whole path runs on the real worker and server.
 */
const SUGGEST_AFTER_EVENTS = 30;

interface RunStatus {
  state: string;
  latest: { status?: string } | null;
  follow_up: { state: string; status: string | null; reads: number; notifications: number } | null;
}

describe('a follow-up that continues as new', () => {
  let server: Supervised;
  let stack: TestStack;
  let api: ApiClient;
  let simulator: SimulatorClient;

  beforeAll(async () => {
    const port = await freePort();
    server = await startTemporalDevServer({
      ...suiteDevServerOptions(port, () => undefined),
      dynamicConfig: { 'limit.historyCount.suggestContinueAsNew': String(SUGGEST_AFTER_EVENTS) },
    });
    stack = await TestStack.start({
      temporalAddress: `127.0.0.1:${port}`,
      api: { FOLLOW_UP_POLL_INITIAL_MS: '50', FOLLOW_UP_POLL_MAX_INTERVAL_MS: '50', FOLLOW_UP_HORIZON_MS: '600000' },
      // CONT orders settle only through the control call: the test decides when.
      notifications: { pendingSettleMs: 0 },
    });
    api = new ApiClient(stack.apiUrl);
    simulator = new SimulatorClient(stack.simulatorUrl);
  });
  afterAll(async () => {
    await stack.stop();
    server.child.kill('SIGKILL');
  });

  it('carries its reads, its memo and its search attributes into each new run, and still finds the final state', async () => {
    const orderId = await simulator.createOrder('CONT');
    const key = newKey();
    expect((await api.processOrder(orderId, { key })).body).toMatchObject({ status: 'processing' });
    const workflowId = orderFollowUpWorkflowId(orderId);

    // Several runs of the one follow-up, each started by the previous one's continue-as-new.
    const runs = await eventually(
      async () => {
        const found = [];
        for await (const run of stack.temporal.workflow.list({ query: `WorkflowId = "${workflowId}"` })) found.push(run);
        return found;
      },
      (found) => found.length >= 3,
    );
    expect(runs.filter((run) => run.status.name === 'CONTINUED_AS_NEW').length).toBeGreaterThanOrEqual(2);
    const following = (await api.get(`/v1/payment-runs/${key}`)).body as RunStatus;
    expect(following).toMatchObject({ state: 'awaiting_final_state', follow_up: { state: 'awaiting_final_state', status: 'processing' } });

    await simulator.settle(orderId, 'approved');

    const settled = await eventually(
      async () => (await api.get(`/v1/payment-runs/${key}`)).body as RunStatus,
      (current) => current.state === 'final',
    );
    expect(settled).toMatchObject({ latest: { status: 'processed' }, follow_up: { state: 'final', status: 'processed' } });
    // Reads of every run, not only the last one's.
    expect(settled.follow_up!.reads).toBeGreaterThan(3);
    const last = await stack.temporal.workflow.getHandle(workflowId).describe();
    expect(last.memo).toEqual({ [FOLLOW_UP_REQUESTED_BY_MEMO_FIELD]: key });
    expect(last.typedSearchAttributes.get(searchAttributes.outcome)).toBe('succeeded');
    expect(last.typedSearchAttributes.get(searchAttributes.orderStatus)).toBe('processed');
    expect(last.typedSearchAttributes.get(searchAttributes.clientId)).toBe('checkout');
    expect(last.typedSearchAttributes.get(searchAttributes.orderId)).toBe(orderId);
  });
});
