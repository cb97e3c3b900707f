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

  async function eagerApi(overrides: NodeJS.ProcessEnv = {}): Promise<{ api: ApiClient; pid: number; resultFrom: (key: string) => Promise<unknown>; kill: () => Promise<void> }> {
    const port = await freePort();
    const { url, process } = await stack.startApi(port, overrides);
    const api = new ApiClient(url);
    const pid = process.child.pid!;
    await untilStartsEagerly(stack.temporal, api, simulator, pid);
    const prefix = `[api-${port}] `;
    return {
      api,
      pid,
      // Where the answer to the request with `key` came from, as its access line says (docs/operations.md, "Logs").
      resultFrom: async (key) => {
        const answered = await eventually(
          () =>
            Promise.resolve(
              stack.output
                .filter((line) => line.startsWith(prefix))
                .map((line) => JSON.parse(line.slice(prefix.length)) as { idempotencyKey?: string; message?: string; resultFrom?: string })
                .find((line) => line.idempotencyKey === key && line.message === 'request answered'),
            ),
          (line) => line !== undefined,
        );
        return answered?.resultFrom;
      },
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
    const { api, pid, resultFrom } = await eagerApi();
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
    // Answered from the hosted worker, with no wait on Temporal for the result.
    expect(await resultFrom(key)).toBe('hosted_worker');
  });

  it('never answers from the hosted worker before the server accepted the completion: a run terminated while its task ran answers as terminated', async () => {
    // The attempt may last 8 s (the stack's 2 s would make a retry of it): still inside the task's 10 s.
    const { api, resultFrom } = await eagerApi({ UPSTREAM_TIMEOUT_MS: '8000' });
    const orderId = await simulator.orderIn('created');
    const key = newKey();
    // The attempt, inside the eager task, answers after 4 s; the run is terminated meanwhile, so
    // the server refuses the completion that returns the upstream's answer (the run is closed).
    await simulator.injectProcessFault(orderId, { type: 'delay', ms: 4_000 });
    const pending = api.processOrder(orderId, { key });
    await eventually(
      () => simulator.processCalls(orderId),
      (calls) => calls.length > 0,
      10_000,
    );
    await stack.temporal.workflow.getHandle(key).terminate('the completion must be refused');

    const answer = await pending;
    // The run ended terminated, as Temporal says: not the order the worker's attempt got back.
    expect(answer.status).toBe(500);
    expect(answer.body).not.toMatchObject({ status: 'processed' });
    expect(await resultFrom(key)).toBe('temporal');
    // The worker did get the upstream's answer, and returned it in a completion the server refused.
    expect(
      await eventually(
        () => simulator.processEffects(orderId),
        (effects) => effects === 1,
        10_000,
      ),
    ).toBe(1);
    const types = await eventTypes(key);
    expect(types.at(-1)).toBe('WORKFLOW_EXECUTION_TERMINATED');
    expect(types).not.toContain('WORKFLOW_TASK_COMPLETED');
  });

  it('waits on Temporal for a run that left the hosted worker (its first attempt failed; the retry is an activity task)', async () => {
    const { api, resultFrom } = await eagerApi();
    const orderId = await simulator.orderIn('created');
    const key = newKey();
    await simulator.injectProcessFault(orderId, { type: 'respond', status: 503, body: {} });

    const answer = await api.processOrder(orderId, { key });

    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ id: orderId, status: 'processed' });
    expect(await resultFrom(key)).toBe('temporal');
    expect(await eventTypes(key)).toContain('ACTIVITY_TASK_COMPLETED');
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
