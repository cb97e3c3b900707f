import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { UpstreamRequest } from '@app/contracts';
import { startTracing } from '@app/observability';
import { WorkerMetrics } from './worker-metrics';
import { UpstreamHttpClient } from './upstream-http-client';

const MERCHANT = { name: 'merchant', upstreamAccessToken: 'APP_USR-merchant' };

type Handler = (request: IncomingMessage, response: ServerResponse) => void;

describe('UpstreamHttpClient against a real local server', () => {
  let server: Server;
  let handler: Handler;
  let client: UpstreamHttpClient;
  let metrics: WorkerMetrics;
  const seen: IncomingMessage[] = [];
  const request: UpstreamRequest = { operation: 'order.process', method: 'POST', path: '/v1/orders/ORD1/process', idempotencyKey: 'upstream-key', timeoutMs: 500 };

  beforeAll(async () => {
    server = createServer((incoming, response) => {
      seen.push(incoming);
      handler(incoming, response);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    metrics = new WorkerMetrics(null);
    client = new UpstreamHttpClient({ UPSTREAM_BASE_URL: `http://127.0.0.1:${port}`, UPSTREAM_CONCURRENCY_PER_MERCHANT: 4 }, metrics);
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const answer = (status: number, body: string, headers: Record<string, string> = {}): Handler => {
    return (_request, response) => response.writeHead(status, { 'content-type': 'application/json', ...headers }).end(body);
  };

  it("sends the merchant's token and the run's idempotency key", async () => {
    handler = answer(200, '{"id":"ORD1"}');
    await client.send(request, MERCHANT);

    const last = seen.at(-1)!;
    expect(last.url).toBe('/v1/orders/ORD1/process');
    expect(last.headers.authorization).toBe('Bearer APP_USR-merchant');
    expect(last.headers['x-idempotency-key']).toBe('upstream-key');
  });

  it.each([200, 201, 400, 401, 402, 404, 409, 422])('treats HTTP %i as final, keeping the body', async (status) => {
    handler = answer(status, '{"errors":[{"code":"x"}],"data":{"id":"ORD1"}}');
    expect(await client.send(request, MERCHANT)).toEqual({ kind: 'final', status, body: { errors: [{ code: 'x' }], data: { id: 'ORD1' } } });
  });

  it.each([500, 502, 503, 504, 423, 429])('treats HTTP %i as retryable, with its Retry-After', async (status) => {
    handler = answer(status, '{}', { 'retry-after': '2' });
    expect(await client.send(request, MERCHANT)).toEqual({ kind: 'retryable', status, reason: `HTTP ${status}`, retryAfterMs: 2_000 });
  });

  it('makes no span and sends no trace context while tracing is off (no exporter)', async () => {
    const tracing = startTracing('upstream-client-test', undefined);
    handler = answer(200, '{}');
    await client.send(request, MERCHANT);
    await tracing.shutdown();

    expect(tracing.enabled).toBe(false);
    expect(seen.at(-1)!.headers.traceparent).toBeUndefined();
  });

  it("sends the attempt's W3C trace context while tracing is on, so the upstream call joins the payment's trace", async () => {
    // Nothing listens there: only the spans' export fails, at shutdown, and nobody waits for it.
    const tracing = startTracing('upstream-client-test', 'http://127.0.0.1:9');
    handler = answer(200, '{}');
    await client.send(request, MERCHANT);
    void tracing.shutdown().catch(() => undefined);

    expect(seen.at(-1)!.headers.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
  });

  const attemptsCounted = async (outcome: string): Promise<number> => {
    const { values } = await metrics.upstreamAttempts.get();
    return values.find((value) => value.labels.operation === 'order.process' && value.labels.outcome === outcome)?.value ?? 0;
  };

  it.each<[string, Handler]>([
    ['succeeded', answer(201, '{}')],
    ['declined', answer(402, '{}')],
    ['rejected', answer(422, '{}')],
    ['retryable_status', answer(503, '{}')],
    ['unreadable_answer', answer(200, 'not json')],
    ['timeout', () => undefined],
    ['network_error', (incoming) => incoming.socket.destroy()],
  ])('counts an attempt that ends as %s, with its duration', async (outcome, respond) => {
    const before = await attemptsCounted(outcome);
    handler = respond;
    await client.send(request, MERCHANT);

    expect(await attemptsCounted(outcome)).toBe(before + 1);
    const durations = await metrics.upstreamDuration.get();
    const count = durations.values.find((value) => value.metricName === 'upstream_attempt_duration_seconds_count' && value.labels.outcome === outcome);
    expect(count?.value).toBe(before + 1);
  });

  it("retries Wallet Connect's 409 'not completed yet' (cause 401001), but not other 409s", async () => {
    const stillProcessing = { status: '409', error: 'Conflict', message: 'not yet', cause: [{ code: '401001', message: 'not yet', data: null }] };
    handler = answer(409, JSON.stringify(stillProcessing));
    expect(await client.send(request, MERCHANT)).toMatchObject({ kind: 'retryable', status: 409 });

    handler = answer(409, '{"errors":[{"code":"cannot_capture_order"}]}');
    expect(await client.send(request, MERCHANT)).toMatchObject({ kind: 'final', status: 409 });
  });

  it('never follows a redirect with a payment write, and retries instead', async () => {
    handler = (_request, response) => response.writeHead(307, { location: '/elsewhere' }).end();
    const before = seen.length;

    expect(await client.send(request, MERCHANT)).toMatchObject({ kind: 'retryable', status: 307 });
    expect(seen.slice(before).map((incoming) => incoming.url)).toEqual(['/v1/orders/ORD1/process']);
  });

  it('retries a final status whose body is not JSON', async () => {
    handler = answer(200, '<html>proxy</html>');
    expect(await client.send(request, MERCHANT)).toMatchObject({ kind: 'retryable', status: 200 });
  });

  it('reports a timeout as retryable without a status', async () => {
    handler = () => undefined;
    expect(await client.send(request, MERCHANT)).toEqual({ kind: 'retryable', status: null, reason: 'timeout after 500 ms', retryAfterMs: null });
  });

  it('reports a dropped connection as a retryable network error', async () => {
    handler = (incoming) => incoming.socket.destroy();
    expect(await client.send(request, MERCHANT)).toMatchObject({ kind: 'retryable', status: null, reason: expect.stringMatching(/^network error/) as string });
  });
});
