import { freePort } from '../../scripts/lib/free-port';
import { ApiClient, errorCode, newKey, type ApiAnswer } from '../support/api-client';
import { SimulatorClient } from '../support/simulator-client';
import { TestStack } from '../support/stack';
import { startTcpProxy } from '../support/tcp-proxy';
import { eventually } from '../support/temporal-assertions';

describe('the answer memory: completed answers without a call to Temporal', () => {
  let stack: TestStack;
  let api: ApiClient;
  let simulator: SimulatorClient;

  beforeAll(async () => {
    stack = await TestStack.start();
    api = new ApiClient(stack.apiUrl);
    simulator = new SimulatorClient(stack.simulatorUrl);
  });
  afterAll(async () => stack?.stop());

  it('replays a completed answer byte for byte, and refuses a reused key with 409, from memory alone', async () => {
    // An API of its own that reaches Temporal through a proxy the test then cuts: whatever it
    // still answers correctly, it answered without Temporal.
    const temporalAddress = process.env.TEST_TEMPORAL_ADDRESS!;
    const proxy = await startTcpProxy(temporalAddress.split(':')[0]!, Number(temporalAddress.split(':')[1]));
    const isolated = new ApiClient((await stack.startApi(await freePort(), { TEMPORAL_ADDRESS: proxy.address, TEMPORAL_RPC_TIMEOUT_MS: '1000' })).url);
    const orderId = await simulator.orderIn('created');
    const key = newKey();
    const first = await isolated.processOrder(orderId, { key });
    expect(first.status).toBe(200);
    await proxy.cut();
    const unknownKey = await isolated.processOrder(orderId, { key: newKey() });
    expect(errorCode(unknownKey)).toBe('idempotency_validation_failed');

    const replay = await isolated.processOrder(orderId, { key });
    expect(replay.status).toBe(200);
    expect(replay.text).toBe(first.text);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');

    const otherOrder = await simulator.orderIn('created');
    const reused = await isolated.processOrder(otherOrder, { key });
    expect(reused.status).toBe(409);
    expect(errorCode(reused)).toBe('idempotency_key_already_used');

    expect(await simulator.processEffects(orderId)).toBe(1);
    expect(await simulator.processCalls(otherOrder)).toEqual([]);
  });

  it('remembers nothing but final answers: a run that gave up frees its key for the same request', async () => {
    const orderId = await simulator.orderIn('created');
    const key = newKey();
    await simulator.injectProcessFault(orderId, { type: 'respond', status: 503, body: { message: 'down' } }, 1_000);
    const busy = new ApiClient((await stack.startApi(await freePort(), { UPSTREAM_RETRY_BUDGET_MS: '300', UPSTREAM_RETRY_INITIAL_MS: '100' })).url);
    const gaveUp = await busy.processOrder(orderId, { key });
    expect(gaveUp.status).toBe(500);
    expect(errorCode(gaveUp)).toBe('internal_error');

    await simulator.clearFaults();
    const retried = await busy.processOrder(orderId, { key });
    expect(retried.status).toBe(200);
    expect(await simulator.processEffects(orderId)).toBe(1);
  });

  it('two API instances, each with its own memory, still make one run and one effect per key', async () => {
    const second = new ApiClient((await stack.startApi(await freePort())).url);
    const orderId = await simulator.orderIn('created');
    const key = newKey();

    const answers: ApiAnswer[] = await Promise.all(Array.from({ length: 20 }, (_, index) => (index % 2 === 0 ? api : second).processOrder(orderId, { key })));
    // Once both have answered, both memories hold it; ask each again.
    answers.push(await api.processOrder(orderId, { key }), await second.processOrder(orderId, { key }));

    expect(new Set(answers.map((answer) => answer.status))).toEqual(new Set([200]));
    expect(new Set(answers.map((answer) => answer.text)).size).toBe(1);
    expect(answers.filter((answer) => answer.headers.get('idempotent-replayed') === null)).toHaveLength(1);
    expect(await simulator.processEffects(orderId)).toBe(1);
    // Visibility lags a little behind the run itself: wait until it lists the run at all.
    const runs = await eventually(
      () => stack.temporal.workflow.count(`WorkflowId = "${key}"`),
      ({ count }) => count > 0,
    );
    expect(runs.count).toBe(1);
  });
});
