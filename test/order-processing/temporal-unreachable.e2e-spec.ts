import { ApiClient, errorCode, newKey } from '../support/api-client';
import { freePort } from '../../scripts/lib/free-port';
import { SimulatorClient } from '../support/simulator-client';
import { TestStack } from '../support/stack';

describe('when Temporal cannot be reached (rule 7: fail closed)', () => {
  let stack: TestStack;

  beforeAll(async () => {
    const nothingListens = await freePort();
    stack = await TestStack.start({ api: { TEMPORAL_ADDRESS: `127.0.0.1:${nothingListens}`, TEMPORAL_RPC_TIMEOUT_MS: '1500' } });
  });
  afterAll(async () => stack.stop());

  it('reports the API live but not ready', async () => {
    const live = await fetch(`${stack.apiUrl}/health/live`);
    const ready = await fetch(`${stack.apiUrl}/health/ready`);

    expect(live.status).toBe(200);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual({ status: 'unavailable', temporal: 'unreachable' });
  });

  it('answers 500 idempotency_validation_failed and never calls the upstream', async () => {
    const simulator = new SimulatorClient(stack.simulatorUrl);
    const orderId = await simulator.createOrder('APRO');

    const answer = await new ApiClient(stack.apiUrl).processOrder(orderId, { key: newKey() });

    expect(answer.status).toBe(500);
    expect(errorCode(answer)).toBe('idempotency_validation_failed');
    expect(await simulator.processCalls(orderId)).toEqual([]);
  });
});
