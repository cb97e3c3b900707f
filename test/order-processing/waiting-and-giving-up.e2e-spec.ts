import { freePort } from '../../scripts/lib/free-port';
import { ApiClient, errorCode, newKey } from '../support/api-client';
import { SimulatorClient } from '../support/simulator-client';
import { TestStack } from '../support/stack';
import { eventually } from '../support/temporal-assertions';

// A run still working answers 423 resource_locked, to be retried later ("Possible errors", 423):
// https://mercadopago.com.mx/developers/en/docs/order/status-errors/integration-errors
// A run that gave up answers 500 internal_error, which invites the same request again ("Process order by ID", responses, 500):
// https://www.mercadopago.com.br/developers/en/reference/orders/online/process-order/post
describe('a run that outlives the request (Possible errors, 423) or its retry budget (Process order by ID, 500 internal_error)', () => {
  let stack: TestStack;
  let api: ApiClient;
  let simulator: SimulatorClient;

  beforeAll(async () => {
    stack = await TestStack.start({
      api: { WAIT_FOR_RESULT_MS: '1000', UPSTREAM_RETRY_BUDGET_MS: '2500', UPSTREAM_RETRY_MAX_INTERVAL_MS: '300' },
    });
    api = new ApiClient(stack.apiUrl);
    simulator = new SimulatorClient(stack.simulatorUrl);
  });
  afterAll(async () => stack.stop());

  it('answers 423 resource_locked with Retry-After while the run works, then the outcome to the same key', async () => {
    const orderId = await simulator.createOrder('APRO');
    const key = newKey();
    // Longer than the API's 1 s wait, well inside the stack's 2 s attempt timeout.
    await simulator.injectProcessFault(orderId, { type: 'delay', ms: 1_500 });

    const early = await api.processOrder(orderId, { key });

    expect(early.status).toBe(423);
    expect(errorCode(early)).toBe('resource_locked');
    // docs/api.md, step 4: "423 resource_locked with `Retry-After: 1`".
    expect(early.headers.get('retry-after')).toBe('1');
    const later = await eventually(
      () => api.processOrder(orderId, { key }),
      (answer) => answer.status !== 423,
    );
    expect(later.status).toBe(200);
    expect(later.headers.get('idempotent-replayed')).toBe('true');
    expect(await simulator.processEffects(orderId)).toBe(1);
  });

  it('answers 500 internal_error when the budget runs out, and lets the same key start a new run', async () => {
    const orderId = await simulator.createOrder('APRO');
    const key = newKey();
    await simulator.injectProcessFault(orderId, { type: 'respond', status: 503, body: {} }, 1_000);

    const exhausted = await eventually(
      () => api.processOrder(orderId, { key }),
      (answer) => answer.status !== 423,
    );
    expect(exhausted.status).toBe(500);
    expect(errorCode(exhausted)).toBe('internal_error');
    const firstRun = await stack.temporal.workflow.getHandle(key).describe();
    expect(firstRun.status.name).toBe('FAILED');
    expect(await simulator.processEffects(orderId)).toBe(0);

    // A different request may not take over the key of a run that gave up: its upstream call may
    // have taken effect, and only the same request can safely try again.
    const otherOrder = await simulator.createOrder('APRO');
    const intruder = await api.processOrder(otherOrder, { key });
    expect(intruder.status).toBe(409);
    expect(errorCode(intruder)).toBe('idempotency_key_already_used');
    expect(await simulator.processCalls(otherOrder)).toEqual([]);

    await fetch(`${stack.simulatorUrl}/__simulator/faults`, { method: 'DELETE' });
    const retried = await eventually(
      () => api.processOrder(orderId, { key }),
      (answer) => answer.status !== 423,
    );

    expect(retried.status).toBe(200);
    const secondRun = await stack.temporal.workflow.getHandle(key).describe();
    expect(secondRun.runId).not.toBe(firstRun.runId);
    const calls = await simulator.processCalls(orderId);
    expect(new Set(calls.map((call) => call.idempotency_key)).size).toBe(1);
    expect(await simulator.processEffects(orderId)).toBe(1);
  });

  it('lets the same request start a new run under its key once its run was terminated (docs/api.md, "Start or attach")', async () => {
    const orderId = await simulator.createOrder('APRO');
    const key = newKey();
    await simulator.injectProcessFault(orderId, { type: 'respond', status: 503, body: {} }, 1_000);
    // An API whose runs would retry for a minute: the run is still working when an operator ends it.
    const patient = new ApiClient((await stack.startApi(await freePort(), { WAIT_FOR_RESULT_MS: '200', UPSTREAM_RETRY_BUDGET_MS: '60000' })).url);
    expect((await patient.processOrder(orderId, { key })).status).toBe(423);
    const handle = stack.temporal.workflow.getHandle(key);
    const firstRun = await handle.describe();

    await handle.terminate('an operator ends the run');
    await simulator.clearFaults();
    const retried = await eventually(
      () => api.processOrder(orderId, { key }),
      (answer) => answer.status !== 423,
    );

    expect((await stack.temporal.workflow.getHandle(key, firstRun.runId).describe()).status.name).toBe('TERMINATED');
    expect(retried.status).toBe(200);
    expect((await handle.describe()).runId).not.toBe(firstRun.runId);
    expect(await simulator.processEffects(orderId)).toBe(1);
  });

  it('reads the order when the budget runs out, and answers 200 with it when the lost attempt had processed it', async () => {
    const orderId = await simulator.createOrder('APRO');
    const key = newKey();
    // The first attempt processes the order and its answer is lost; every retry is then refused.
    await simulator.injectProcessFault(orderId, { type: 'lose_response' });
    await simulator.injectProcessFault(orderId, { type: 'respond', status: 503, body: {} }, 1_000);

    const settled = await eventually(
      () => api.processOrder(orderId, { key }),
      (answer) => answer.status !== 423,
    );

    expect(settled.status).toBe(200);
    expect(settled.body).toMatchObject({ id: orderId, status: 'processed' });
    expect(await simulator.processEffects(orderId)).toBe(1);
    const run = await stack.temporal.workflow.getHandle(key).describe();
    expect(run.status.name).toBe('COMPLETED');
    // The same answer for every later request with the key.
    const replay = await api.processOrder(orderId, { key });
    expect(replay.text).toBe(settled.text);
  });
});
