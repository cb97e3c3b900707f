import { callbackTaskQueue, clientCallbacksQuery, clientCallbacksWorkflowId } from '@app/contracts';
import { ApiClient, newKey } from '../support/api-client';
import { about, CallbackReceiver, verifiesWith } from '../support/callback-receiver';
import { SimulatorClient } from '../support/simulator-client';
import { TestStack } from '../support/stack';
import { eventually } from '../support/temporal-assertions';

const CHECKOUT_SECRET = 'e2e-checkout-callback-secret-of-32-characters';
/** Payments of one client at once: their hand-overs meet in the workers while a signal is in flight. */
const CONCURRENT_PAYMENTS = 12;

/**
 * Hand-overs that meet in one signal (CALLBACK_HAND_OVERS_PER_SIGNAL at its default, for runs at
 * steps revision 2; docs/architecture.md "Callbacks apart from payments"), on the real Temporal
 * server, API, worker and simulator: one
 * client's concurrent payments each get their event exactly once, signed, whichever process
 * (the API's hosted worker or the standalone one) handed it over and with whichever others.
 * How many signals they took depends on timing here; the time-skipping test
 * (test/workflow-runs/client-callbacks.timeskip-spec.ts) counts them.
 */
describe('hand-overs that meet in one signal', () => {
  let stack: TestStack;
  let api: ApiClient;
  let simulator: SimulatorClient;
  const answering = new CallbackReceiver();

  beforeAll(async () => {
    await answering.listen();
    const callbacks = { CLIENT_CALLBACK_URLS: `checkout=${answering.url}`, CLIENT_CALLBACK_SECRETS: `checkout=${CHECKOUT_SECRET}` };
    stack = await TestStack.start({ api: callbacks, worker: callbacks });
    api = new ApiClient(stack.apiUrl);
    simulator = new SimulatorClient(stack.simulatorUrl);
  });
  afterAll(async () => {
    await stack.stop();
    await answering.close();
  });

  it("delivers each of one client's concurrent payments' events exactly once, signed", async () => {
    const orders = await Promise.all(Array.from({ length: CONCURRENT_PAYMENTS }, () => simulator.createOrder('APRO')));
    const keys = orders.map(() => newKey());
    const answers = await Promise.all(orders.map((orderId, index) => api.processOrder(orderId, { key: keys[index]! })));
    expect(answers.map(({ status }) => status)).toEqual(orders.map(() => 200));

    // Once its callbacks workflow holds nothing pending and every key was called back, no second delivery can follow.
    const callbacks = stack.temporal.workflow.getHandle(clientCallbacksWorkflowId(callbackTaskQueue(stack.taskQueue), 'checkout'));
    await eventually(
      async () => ({ pending: (await callbacks.query(clientCallbacksQuery)).pending.length, called: keys.filter((key) => about(answering, key).length > 0).length }),
      ({ pending, called }) => pending === 0 && called === keys.length,
    );
    expect(keys.map((key) => about(answering, key).length)).toEqual(keys.map(() => 1));
    for (const [index, key] of keys.entries()) {
      const [delivery] = about(answering, key);
      expect(verifiesWith(CHECKOUT_SECRET, delivery!)).toBe(true);
      expect(JSON.parse(delivery!.body)).toMatchObject({ type: 'payment_run.final', idempotency_key: key, order_id: orders[index], state: 'final' });
    }
  });
});
