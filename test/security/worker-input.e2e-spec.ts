import { createServer, type IncomingMessage, type Server } from 'node:http';
import { Client, WorkflowFailedError } from '@temporalio/client';
import { type ApplicationFailure } from '@temporalio/common';
import { FINGERPRINT_MEMO_FIELD, FORBIDDEN_UPSTREAM_REQUEST, PAYMENT_WRITE_WORKFLOW, type PaymentWriteInput } from '@app/contracts';
import { requestFingerprint, upstreamIdempotencyKey } from '../../apps/api/src/payment-runs/request-fingerprint';
import { ApiClient, errorCode, newKey } from '../support/api-client';
import { SimulatorClient } from '../support/simulator-client';
import { TestStack } from '../support/stack';

/**
 * Whoever can start a workflow chooses its input. These runs are started straight through Temporal,
 * as an attacker with access to it would, never through the API.
 */
describe('the worker executes only what the API could have asked', () => {
  let stack: TestStack;
  let api: ApiClient;
  let simulator: SimulatorClient;
  let exfiltration: { server: Server; received: IncomingMessage[]; simulatorPort: number };

  beforeAll(async () => {
    exfiltration = await listenTenTimesAPort();
    stack = await TestStack.start({ simulatorPort: exfiltration.simulatorPort });
    api = new ApiClient(stack.apiUrl);
    simulator = new SimulatorClient(stack.simulatorUrl);
  });
  afterAll(async () => {
    await stack?.stop();
    exfiltration?.server.close();
  });

  /** Any method and path: the input's types bind the API, not whoever talks to Temporal. */
  type ForgedRequest = Partial<Omit<PaymentWriteInput['request'], 'method'>> & { method?: string };
  const forgedInput = (request: ForgedRequest, orderId: string | null = null): PaymentWriteInput => ({
    operation: 'order.process',
    clientId: 'attacker',
    orderId,
    request: { method: 'POST', path: '/v1/orders', idempotencyKey: 'a'.repeat(64), ...request } as PaymentWriteInput['request'],
    attemptTimeoutMs: 2_000,
    retry: { initialIntervalMs: 100, maximumIntervalMs: 1_000, budgetMs: 10_000 },
  });

  it.each<[string, ForgedRequest & { path: string }]>([
    // The path appended to http://127.0.0.1:<port> turns the port into another: the finding as reported.
    ['a path that moves the port', { method: 'PUT', path: '0/exfil' }],
    ["another operation's route on a real order", { path: '/v1/orders/ORDER/refund' }],
    ['a path that climbs out of the route', { path: '/v1/orders/ORDER/process/../../../exfil' }],
  ])('fails a run with %s, without any network call', async (_name, request) => {
    const orderId = await simulator.orderIn('created');
    const input = forgedInput({ ...request, path: request.path.replace('ORDER', orderId) }, orderId);
    const since = Date.now();
    const handle = await stack.temporal.workflow.start(PAYMENT_WRITE_WORKFLOW, { workflowId: newKey(), taskQueue: stack.taskQueue, args: [input] });

    const failure = await handle.result().then(
      () => null,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(WorkflowFailedError);
    expect(((failure as WorkflowFailedError).cause as ApplicationFailure).type).toBe(FORBIDDEN_UPSTREAM_REQUEST);
    expect(exfiltration.received).toHaveLength(0);
    expect(await simulator.calls('/v1/orders/{id}/refund', orderId, since)).toHaveLength(0);
    expect(await simulator.calls('/v1/orders/{id}/process', orderId, since)).toHaveLength(0);
  });

  it('neither executes nor believes a run planted in plain text, with the right memo, without the keys', async () => {
    const orderId = await simulator.orderIn('created');
    const key = newKey();
    const fingerprint = requestFingerprint({ clientId: 'checkout', operation: 'order.process', orderId, body: null });
    const input: PaymentWriteInput = {
      ...forgedInput({ path: `/v1/orders/${orderId}/process`, idempotencyKey: upstreamIdempotencyKey(key, fingerprint) }, orderId),
      clientId: 'checkout',
    };
    // No payload codec: what anyone who can reach Temporal, but holds no key, can do.
    const plainClient = new Client({ connection: stack.temporal.connection });
    const planted = await plainClient.workflow.start(PAYMENT_WRITE_WORKFLOW, {
      workflowId: key,
      taskQueue: stack.taskQueue,
      args: [input],
      memo: { [FINGERPRINT_MEMO_FIELD]: fingerprint },
      workflowExecutionTimeout: '1 minute',
    });

    try {
      const answer = await api.processOrder(orderId, { key });
      expect(answer.status).toBe(500);
      expect(errorCode(answer)).toBe('idempotency_validation_failed');
      expect(answer.headers.get('idempotent-replayed')).toBeNull();
      expect(await simulator.processCalls(orderId)).toHaveLength(0);
      expect((await planted.describe()).status.name).toBe('RUNNING');
    } finally {
      await planted.terminate('planted by a test');
    }
  });
});

/**
 * A listener on port 10·P and a free port P for the simulator, so that the upstream base
 * http://127.0.0.1:P followed by the path `0/exfil` names the listener, as in the original finding.
 */
async function listenTenTimesAPort(): Promise<{ server: Server; received: IncomingMessage[]; simulatorPort: number }> {
  const received: IncomingMessage[] = [];
  for (let port = 4011; port * 10 <= 65_535; port += 1) {
    const [server, base] = [createServer((request, response) => received.push(request) && response.end('{}')), createServer()];
    if (!(await listens(server, port * 10))) continue;
    if (await listens(base, port)) {
      await new Promise((resolve) => base.close(resolve));
      return { server, received, simulatorPort: port };
    }
    await new Promise((resolve) => server.close(resolve));
  }
  throw new Error('no port P found with both P and 10·P free');
}

function listens(server: Server, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => resolve(true));
  });
}
