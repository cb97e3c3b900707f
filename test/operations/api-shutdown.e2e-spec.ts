import { randomUUID } from 'node:crypto';
import { freePort } from '../../scripts/lib/free-port';
import { ApiClient, newKey } from '../support/api-client';
import { untilStartsEagerly } from '../support/attempt-holder';
import { OtlpReceiver } from '../support/otlp-receiver';
import { rawHttp } from '../support/raw-http';
import { SimulatorClient } from '../support/simulator-client';
import { CLIENT_TOKENS, TestStack } from '../support/stack';
import { eventually } from '../support/temporal-assertions';

const PROCESS_ROUTE = '/v1/orders/:orderId/process';

/**
 * docs/operations.md, "Stopping the API": on SIGTERM the API stops taking requests and answers
 * those in flight, drains its hosted worker, then sends its last spans, and exits by the signal.
 */
describe('stopping the API', () => {
  let receiver: OtlpReceiver;
  let stack: TestStack;
  let simulator: SimulatorClient;

  beforeAll(async () => {
    receiver = await OtlpReceiver.start();
    // The stack's own API hosts no worker: the API under test is the only one with eager starts.
    stack = await TestStack.start({ api: { API_HOSTS_WORKER: 'false' } });
    simulator = new SimulatorClient(stack.simulatorUrl);
  });
  afterAll(async () => {
    await stack?.stop();
    await receiver?.stop();
  });

  /**
   * Starts an API of its own whose first attempt for a new order (a local activity inside the eager
   * workflow task) is answered `attemptMs` after it reaches the simulator; `send` sends the payment,
   * and the answer is awaited once the simulator holds the call.
   */
  async function paymentInFlight<T>(overrides: NodeJS.ProcessEnv, attemptMs: number, send: (url: string, orderId: string) => Promise<T>) {
    const port = await freePort();
    const { url, process } = await stack.startApi(port, overrides);
    await untilStartsEagerly(stack.temporal, new ApiClient(url), simulator, process.child.pid!);
    const orderId = await simulator.orderIn('created');
    await simulator.injectProcessFault(orderId, { type: 'delay', ms: attemptMs });
    const answer = send(url, orderId);
    await eventually(
      () => simulator.processCalls(orderId),
      (calls) => calls.length > 0,
      10_000,
    );
    return { port, process, answer };
  }

  it('answers the run in flight in its hosted worker, drains that worker, then flushes the spans made meanwhile', async () => {
    // The batch span processor's default delay (5 s) keeps the spans buffered: only the flush at
    // shutdown sends them.
    const traceId = randomUUID().replaceAll('-', '');
    const { port, process, answer } = await paymentInFlight({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_BSP_SCHEDULE_DELAY: '60000' }, 1_500, (url, orderId) =>
      fetch(`${url}/v1/orders/${orderId}/process`, {
        method: 'POST',
        headers: { authorization: `Bearer ${CLIENT_TOKENS.checkout}`, 'x-idempotency-key': newKey(), traceparent: `00-${traceId}-00f067aa0ba902b7-01` },
      }),
    );

    process.child.kill('SIGTERM');

    expect((await answer).status).toBe(200);
    expect(await process.exited).toBe('SIGTERM');
    expect(stack.output.some((line) => line.startsWith(`[api-${port}] `) && line.includes('hosted workers stopped'))).toBe(true);
    // The request's span ends as the answer is sent, the workflow's when the hosted worker
    // completes its task: both after the signal, both sent by the flush that comes last.
    const names = receiver.spans.filter((span) => span.traceId === traceId).map((span) => `${span.service} ${span.name}`);
    expect(names).toEqual(expect.arrayContaining([`payment-api POST ${PROCESS_ROUTE}`, 'payment-api RunWorkflow:paymentWriteWorkflow']));
  });

  it('answers a kept-alive request in flight with Connection: close and closes its connection, not at the keep-alive timeout or the cut', async () => {
    // The cut (WAIT_FOR_RESULT_MS) and the keep-alive timeout far beyond the read's 20 s bound: only
    // the drain's own closing ends this connection in time.
    const keptAlive = (orderId: string) =>
      [`POST /v1/orders/${orderId}/process HTTP/1.1`, 'Host: 127.0.0.1', `Authorization: Bearer ${CLIENT_TOKENS.checkout}`, `X-Idempotency-Key: ${newKey()}`, 'Content-Length: 0'].join(
        '\r\n',
      );
    // rawHttp reads until the server closes the connection.
    const { process, answer } = await paymentInFlight({ WAIT_FOR_RESULT_MS: '120000', HTTP_KEEP_ALIVE_TIMEOUT_MS: '120000' }, 3_000, (url, orderId) =>
      rawHttp(url, [`${keptAlive(orderId)}\r\n\r\n`], { timeoutMs: 20_000 }),
    );

    process.child.kill('SIGTERM');

    const { status, headers } = await answer;
    expect(status).toBe(200);
    // Only an answer begun after the signal says so: one sent before it would still say keep-alive.
    expect(headers).toMatch(/^connection: close$/im);
    expect(await process.exited).toBe('SIGTERM');
  }, 60_000);
});
