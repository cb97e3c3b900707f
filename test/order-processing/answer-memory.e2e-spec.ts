import { freePort } from '../../scripts/lib/free-port';
import { cardOrderBody } from '../../scripts/lib/simulator-orders';
import { ApiClient, errorCode, newKey, type ApiAnswer } from '../support/api-client';
import { scrape, seriesValue } from '../support/prometheus-text';
import { httpRequest, rawHttp, type RawAnswer } from '../support/raw-http';
import { SimulatorClient } from '../support/simulator-client';
import { CLIENT_TOKENS, TestStack } from '../support/stack';
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

  it('answers a remembered key before Express and Nest (the replay front) with the bytes, access line and counts Nest gives', async () => {
    const metricsToken = 'e2e-replay-front-metrics-token';
    const [port, operatorPort] = [await freePort(), await freePort()];
    const { url } = await stack.startApi(port, { LOG_LEVEL: 'info', METRICS_TOKEN: metricsToken }, operatorPort);
    const client = new ApiClient(url);
    const [orderId, otherOrder, cardToken] = await Promise.all([simulator.orderIn('created'), simulator.orderIn('created'), simulator.cardToken()]);
    const [processKey, createKey] = [newKey(), newKey()];
    const createBody = cardOrderBody(cardToken, 'manual');
    expect((await client.processOrder(orderId, { key: processKey })).status).toBe(200);
    expect((await client.post('/v1/orders', createBody, { key: createKey })).status).toBe(201);

    const json = 'Content-Type: application/json';
    const processPath = `/v1/orders/${orderId}/process`;
    // Every request names a remembered key, so the front takes it as written; with a query, which
    // Express ignores and the front leaves to Nest, the same request is Nest's.
    const cases: ReadonlyArray<{ name: string; path: string; headers: string[]; body?: string; status: number }> = [
      { name: 'a replay', path: processPath, headers: [`X-Idempotency-Key: ${processKey}`], status: 200 },
      {
        name: 'a replay, its path in upper case',
        path: processPath.replace('/v1/orders', '/V1/ORDERS').replace('process', 'PROCESS'),
        headers: [`X-Idempotency-Key: ${processKey}`],
        status: 200,
      },
      { name: 'a replay with its body', path: '/v1/orders', headers: [`X-Idempotency-Key: ${createKey}`, json], body: JSON.stringify(createBody), status: 201 },
      { name: 'the key reused for another order', path: `/v1/orders/${otherOrder}/process`, headers: [`X-Idempotency-Key: ${processKey}`], status: 409 },
      {
        name: 'the key reused with another body',
        path: '/v1/orders',
        headers: [`X-Idempotency-Key: ${createKey}`, json],
        body: JSON.stringify({ ...createBody, external_reference: 'another' }),
        status: 409,
      },
      { name: 'a body that does not parse', path: processPath, headers: [`X-Idempotency-Key: ${processKey}`, json], body: '{', status: 400 },
      { name: 'a number that would change', path: processPath, headers: [`X-Idempotency-Key: ${processKey}`, json], body: '{"n":12345678901234567890}', status: 400 },
      { name: 'a body that is not JSON', path: processPath, headers: [`X-Idempotency-Key: ${processKey}`, 'Content-Type: text/plain'], body: 'hello', status: 415 },
      { name: 'a body over the limit', path: processPath, headers: [`X-Idempotency-Key: ${processKey}`, json], body: JSON.stringify({ pad: 'x'.repeat(200_000) }), status: 413 },
    ];
    const metrics = () => scrape(`http://127.0.0.1:${operatorPort}/metrics`, { authorization: `Bearer ${metricsToken}` });
    const before = await metrics();
    const send = (path: string, headers: string[], body: string | undefined, requestId: string) =>
      rawHttp(url, [httpRequest('POST', path, [`Authorization: Bearer ${CLIENT_TOKENS.checkout}`, `X-Request-Id: ${requestId}`, ...headers], body)]);
    // What may differ between two answers: the date, and the request id each was sent with.
    const comparable = (answer: RawAnswer) => ({ ...answer, headers: answer.headers.split('\r\n').filter((line) => !/^(date|x-request-id):/i.test(line)) });
    const requestIds = (index: number) => ({ front: `replay-front-${index}-${processKey}`, nest: `nest-${index}-${processKey}` });
    for (const [index, { name, path, headers, body, status }] of cases.entries()) {
      const front = comparable(await send(path, headers, body, requestIds(index).front));
      const nest = comparable(await send(`${path}?via=nest`, headers, body, requestIds(index).nest));
      expect({ name, ...front }).toEqual({ name, ...nest });
      expect({ name, status: front.status }).toEqual({ name, status });
    }

    // The access lines (fields, route template, client) and the counts, the same on either path.
    const accessLine = (requestId: string) => {
      const line = stack.output.find((printed) => printed.startsWith(`[api-${port}] `) && printed.includes(`"requestId":"${requestId}"`) && printed.includes('"request answered"'));
      if (line === undefined) return undefined;
      // What differs between any two lines: the time, the duration and the request id.
      return Object.fromEntries(
        Object.entries(JSON.parse(line.slice(`[api-${port}] `.length)) as Record<string, unknown>).filter(([field]) => !['time', 'durationMs', 'requestId'].includes(field)),
      );
    };
    const lines = await eventually(
      () => Promise.resolve(cases.map((_case, index) => ({ front: accessLine(requestIds(index).front), nest: accessLine(requestIds(index).nest) }))),
      (found) => found.every(({ front, nest }) => front !== undefined && nest !== undefined),
    );
    for (const [index, { front, nest }] of lines.entries()) expect({ name: cases[index]!.name, ...front }).toEqual({ name: cases[index]!.name, ...nest });
    expect(lines[0]!.front).toMatchObject({ route: '/v1/orders/:orderId/process', status: 200, clientId: 'checkout', operation: 'order.process', runDecision: 'replayed_remembered' });

    const after = await metrics();
    const delta = (name: string, labels: Record<string, string>) => seriesValue(after, name, labels) - seriesValue(before, name, labels);
    for (const { route, status, count } of [
      { route: '/v1/orders/:orderId/process', status: '200', count: 4 },
      { route: '/v1/orders', status: '201', count: 2 },
      { route: '/v1/orders/:orderId/process', status: '409', count: 2 },
      { route: '/v1/orders', status: '409', count: 2 },
      // Refused by the body parser or the number check, before any route: counted unmatched on either path.
      { route: 'unmatched', status: '400', count: 4 },
      { route: '/v1/orders/:orderId/process', status: '415', count: 2 },
      { route: 'unmatched', status: '413', count: 2 },
    ]) {
      expect({ route, status, count: delta('http_requests_total', { method: 'POST', route, status }) }).toEqual({ route, status, count });
    }
    expect(delta('payment_replays_total', { operation: 'order.process' })).toBe(4);
    expect(delta('payment_run_decisions_total', { operation: 'order.create', decision: 'key_reused_remembered' })).toBe(2);
  });
});
