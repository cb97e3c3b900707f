import { temporal } from '@temporalio/proto';
import { freePort } from '../../scripts/lib/free-port';
import { ApiClient, newKey } from '../support/api-client';
import { SimulatorClient } from '../support/simulator-client';
import { TestStack } from '../support/stack';
import { startedEagerly, untilStartsEagerly } from '../support/attempt-holder';
import { eventually } from '../support/temporal-assertions';

/**
 * The fast path: the API hosts a worker, starts are eager and the first attempt is a local
 * activity, so a payment the upstream answers at once is one start and one workflow task.
 */
describe('eager start with the first attempt inside the first workflow task', () => {
  let stack: TestStack;
  let simulator: SimulatorClient;

  beforeAll(async () => {
    // The stack's own API hosts no worker: whatever an eager API leaves behind, only the
    // standalone worker can finish.
    stack = await TestStack.start({ api: { API_HOSTS_WORKER: 'false' } });
    simulator = new SimulatorClient(stack.simulatorUrl);
  });
  afterAll(async () => stack?.stop());

  async function eagerApi(): Promise<{ api: ApiClient; pid: number; kill: () => Promise<void> }> {
    const { url, process } = await stack.startApi(await freePort());
    const api = new ApiClient(url);
    const pid = process.child.pid!;
    await untilStartsEagerly(stack.temporal, api, simulator, pid);
    return {
      api,
      pid,
      kill: async () => {
        process.child.kill('SIGKILL');
        await process.exited;
      },
    };
  }

  async function eventTypes(key: string): Promise<string[]> {
    const history = await stack.temporal.workflow.getHandle(key).fetchHistory();
    return (history.events ?? []).map((event) => (temporal.api.enums.v1.EventType[event.eventType ?? 0] ?? 'UNKNOWN').replace(/^EVENT_TYPE_/, ''));
  }

  it('pays in one start and one workflow task, with no activity task and no dispatch through matching', async () => {
    const { api, pid } = await eagerApi();
    const orderId = await simulator.orderIn('created');
    const key = newKey();

    const answer = await api.processOrder(orderId, { key });

    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ id: orderId, status: 'processed' });
    expect(await startedEagerly(stack.temporal, key, pid)).toBe(true);
    const types = await eventTypes(key);
    expect(types.filter((type) => type.startsWith('WORKFLOW_TASK_'))).toEqual(['WORKFLOW_TASK_SCHEDULED', 'WORKFLOW_TASK_STARTED', 'WORKFLOW_TASK_COMPLETED']);
    expect(types).toContain('MARKER_RECORDED');
    expect(types.some((type) => type.startsWith('ACTIVITY_TASK_'))).toBe(false);
    expect(types.at(-1)).toBe('WORKFLOW_EXECUTION_COMPLETED');
  });

  it('finishes a run on the standalone worker when the API dies inside the eager task, with one upstream effect', async () => {
    const { api, kill } = await eagerApi();
    const orderId = await simulator.orderIn('created');
    const key = newKey();
    // The first attempt reaches the simulator, which acts after 1.5 s; the API dies before that.
    await simulator.injectProcessFault(orderId, { type: 'delay', ms: 1_500 });
    const pending = api.processOrder(orderId, { key }).catch(() => null);
    await eventually(
      () => simulator.processCalls(orderId),
      (calls) => calls.length > 0,
      10_000,
    );
    await kill();
    expect(await pending).toBeNull();

    // The eager task times out (workflow task timeout, 10 s), then the standalone worker runs the
    // run from its start: its first attempt carries the same upstream key, so the upstream replays.
    const survivor = new ApiClient(stack.apiUrl);
    const settled = await eventually(
      () => survivor.processOrder(orderId, { key }),
      (answer) => answer.status !== 423,
      60_000,
    );
    expect(settled.status).toBe(200);
    expect(settled.body).toMatchObject({ id: orderId, status: 'processed' });
    expect(await simulator.processEffects(orderId)).toBe(1);
    const types = await eventTypes(key);
    expect(types.filter((type) => type === 'WORKFLOW_TASK_COMPLETED')).toHaveLength(1);
    expect(types).toContain('WORKFLOW_TASK_TIMED_OUT');
  });
});
