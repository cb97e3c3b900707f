import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { cardOrderBody } from '../../scripts/lib/simulator-orders';
import { freePort } from '../../scripts/lib/free-port';
import { dashboardQueries, recordedNames, ruleQueries, selectorsOf } from '../../scripts/ops/ops-queries';
import { PAYMENTS_DASHBOARD_FILE } from '../../scripts/ops/payments-dashboard';
import { ApiClient, newKey } from '../support/api-client';
import { OtlpReceiver } from '../support/otlp-receiver';
import { httpRequest, rawHttp } from '../support/raw-http';
import { scrape, seriesValue } from '../support/prometheus-text';
import { SimulatorClient } from '../support/simulator-client';
import { CLIENT_TOKENS, PAYLOAD_ENCRYPTION_KEYS, TestStack, UPSTREAM_TOKEN } from '../support/stack';
import { eventually } from '../support/temporal-assertions';

const METRICS_TOKEN = 'e2e-metrics-token';
const PROCESS_ROUTE = '/v1/orders/:orderId/process';

interface LogLine {
  time: string;
  level: string;
  message: string;
  [field: string]: unknown;
}

describe('observability: metrics, JSON logs and traces of the real stack', () => {
  let receiver: OtlpReceiver;
  let stack: TestStack;
  let api: ApiClient;
  let simulator: SimulatorClient;

  beforeAll(async () => {
    receiver = await OtlpReceiver.start();
    // Export spans within 100 ms instead of the SDK's 5 s, so the test need not wait long.
    const tracing = { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_BSP_SCHEDULE_DELAY: '100', LOG_LEVEL: 'info' };
    // The standalone worker's observability (every deployment runs one): the API hosts no worker
    // here, so each attempt happens in the worker process.
    stack = await TestStack.start({ api: { ...tracing, METRICS_TOKEN, API_HOSTS_WORKER: 'false' }, worker: tracing });
    api = new ApiClient(stack.apiUrl);
    simulator = new SimulatorClient(stack.simulatorUrl);
  });
  afterAll(async () => {
    await stack.stop();
    await receiver.stop();
  });

  const apiMetrics = () => scrape(`${stack.operatorUrl}/metrics`, { authorization: `Bearer ${METRICS_TOKEN}` });
  const workerMetrics = () => scrape(`${stack.workerHealthUrl}/metrics`);

  /** The JSON lines an app has written so far, parsed; a line that is not JSON fails the test. */
  const logLines = (app: 'api' | 'worker'): LogLine[] => stack.output.filter((line) => line.startsWith(`[${app}] `)).map((line) => JSON.parse(line.slice(app.length + 3)) as LogLine);

  it('guards the API /metrics, on its operator port, with METRICS_TOKEN when one is set', async () => {
    expect((await fetch(`${stack.operatorUrl}/metrics`)).status).toBe(401);
    expect((await fetch(`${stack.operatorUrl}/metrics`, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
    expect(await apiMetrics()).toContain('# TYPE http_requests_total counter');
  });

  it('counts a new run, a replay and the requests by route template, and no wait is left in flight', async () => {
    const before = await apiMetrics();
    const orderId = await simulator.createOrder('APRO');
    const key = newKey();

    const first = await api.processOrder(orderId, { key });
    const replay = await api.processOrder(orderId, { key });

    expect([first.status, replay.status]).toEqual([200, 200]);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    const after = await apiMetrics();
    const delta = (name: string, labels: Record<string, string>) => seriesValue(after, name, labels) - seriesValue(before, name, labels);
    const operation = 'order.process';
    expect(delta('payment_run_decisions_total', { operation, decision: 'started' })).toBe(1);
    // The replay is answered from the API's answer memory, without asking Temporal.
    expect(delta('payment_run_decisions_total', { operation, decision: 'replayed_remembered' })).toBe(1);
    expect(delta('payment_replays_total', { operation })).toBe(1);
    // The first answer went into the answer memory, which the gauges show at the next scrape.
    expect(delta('answer_memory_entries', {})).toBe(1);
    expect(delta('answer_memory_bytes', {})).toBeGreaterThan(0);
    expect(delta('payment_write_outcomes_total', { operation, outcome: 'succeeded' })).toBe(2);
    expect(delta('http_requests_total', { method: 'POST', route: PROCESS_ROUTE, status: '200' })).toBe(2);
    expect(delta('http_request_duration_seconds_count', { method: 'POST', route: PROCESS_ROUTE, status: '200' })).toBe(2);
    expect(seriesValue(after, 'payment_result_waits_in_flight', { operation })).toBe(0);
    // Order ids never become label values: the route template stands for every order.
    expect(after).not.toContain(orderId);
  });

  it('counts upstream attempts by outcome (an injected 503, then success) and serves Temporal Core metrics', async () => {
    const before = await workerMetrics();
    const orderId = await simulator.createOrder('APRO');
    await simulator.injectProcessFault(orderId, { type: 'respond', status: 503 });

    expect((await api.processOrder(orderId)).status).toBe(200);

    const after = await workerMetrics();
    const delta = (outcome: string) =>
      seriesValue(after, 'upstream_attempts_total', { operation: 'order.process', outcome }) - seriesValue(before, 'upstream_attempts_total', { operation: 'order.process', outcome });
    expect(delta('retryable_status')).toBe(1);
    expect(delta('succeeded')).toBe(1);
    expect(after).toContain('# TYPE upstream_attempt_duration_seconds histogram');
    // Temporal Core's own metrics, appended from its in-process exporter.
    expect(after).toMatch(/^temporal_worker_task_slots_available\{/m);
    expect(after).toMatch(/^temporal_workflow_completed_total\{/m);
    expect(after).toMatch(/^temporal_activity_execution_latency_seconds_count\{/m);
  });

  it('logs JSON lines that tie the request to its key, order, client, run and attempt', async () => {
    const orderId = await simulator.createOrder('APRO');
    const key = newKey();
    const requestId = `e2e-request-${randomUUID()}`;

    const response = await fetch(`${stack.apiUrl}/v1/orders/${orderId}/process`, {
      method: 'POST',
      headers: { authorization: `Bearer ${CLIENT_TOKENS.checkout}`, 'x-idempotency-key': key, 'x-request-id': requestId },
    });

    expect(response.status).toBe(200);
    expect(response.headers.get('x-request-id')).toBe(requestId);
    const description = await stack.temporal.workflow.getHandle(key).describe();
    const answered = await eventually(
      () => Promise.resolve(logLines('api').find((line) => line.requestId === requestId && line.message === 'request answered')),
      (line) => line !== undefined,
    );
    expect(answered).toMatchObject({
      level: 'info',
      requestId,
      idempotencyKey: key,
      orderId,
      clientId: 'checkout',
      operation: 'order.process',
      workflowId: key,
      runId: description.runId,
      runDecision: 'started',
      route: PROCESS_ROUTE,
      status: 200,
    });
    const attempted = await eventually(
      () => Promise.resolve(logLines('worker').find((line) => line.workflowId === key && line.message === 'upstream attempt answered')),
      (line) => line !== undefined,
    );
    expect(attempted).toMatchObject({
      runId: description.runId,
      attempt: 1,
      operation: 'order.process',
      status: 200,
    });
    // A request id that could forge log content is replaced, not echoed.
    const forged = await fetch(`${stack.apiUrl}/health/live`, { headers: { 'x-request-id': 'a"b\tc' } });
    expect(forged.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('keeps a request with a JSON body in its scope: its lines name its client and run, its workflow start joins its trace', async () => {
    // The body parser hands the request on from the body's stream events; the guards and the
    // handler must still log and trace as this request (RequestTelemetry's scope).
    const body = cardOrderBody(await simulator.cardToken(), 'manual');
    const key = newKey();
    const requestId = `e2e-request-${randomUUID()}`;
    const traceId = randomUUID().replaceAll('-', '');

    const text = JSON.stringify(body);
    const head = httpRequest('POST', '/v1/orders', [
      `Authorization: Bearer ${CLIENT_TOKENS.checkout}`,
      'Content-Type: application/json',
      `Content-Length: ${Buffer.byteLength(text)}`,
      `X-Idempotency-Key: ${key}`,
      `X-Request-Id: ${requestId}`,
      `traceparent: 00-${traceId}-00f067aa0ba902b7-01`,
    ]);
    // The body a moment after the head, as a client on a slow link sends it: the parser then reads
    // it from socket events that come after the middleware has returned.
    const response = await rawHttp(stack.apiUrl, [head, text], { pauseMs: 200 });

    expect(response.status).toBe(201);
    const answered = await eventually(
      () => Promise.resolve(logLines('api').find((line) => line.requestId === requestId && line.message === 'request answered')),
      (line) => line !== undefined,
    );
    expect(answered).toMatchObject({
      requestId,
      idempotencyKey: key,
      clientId: 'checkout',
      merchant: 'default',
      operation: 'order.create',
      workflowId: key,
      runDecision: 'started',
      status: 201,
    });
    const spans = await eventually(
      () => Promise.resolve(receiver.spans.filter((span) => span.traceId === traceId)),
      (traced) => traced.some((span) => span.name === 'StartWorkflow:paymentWriteWorkflow') && traced.some((span) => span.name === 'POST /v1/orders'),
    );
    const server = spans.find((span) => span.name === 'POST /v1/orders')!;
    expect(spans.find((span) => span.name === 'StartWorkflow:paymentWriteWorkflow')!.parentSpanId).toBe(server.spanId);
  });

  it('never logs bearer tokens, card tokens, payer data or encryption keys', async () => {
    const cardToken = await simulator.cardToken();
    // The simulator (like Mercado Pago's sandbox) takes test users' addresses only.
    const email = `payer-${randomUUID()}@testuser.com`;
    const body = { ...cardOrderBody(cardToken, 'manual'), payer: { email } };

    const created = await api.post('/v1/orders', body);
    await api.post('/v1/orders', body, { token: 'a-wrong-bearer-token' });
    await api.post('/v1/orders', { ...body, total_amount: 'not money' });

    expect(created.status).toBe(201);
    const everything = stack.output.join('\n');
    for (const secret of [CLIENT_TOKENS.checkout, 'a-wrong-bearer-token', UPSTREAM_TOKEN, cardToken, email, PAYLOAD_ENCRYPTION_KEYS.split(':')[1]!]) {
      expect(everything).not.toContain(secret);
    }
    expect(logLines('api').length).toBeGreaterThan(0);
    expect(logLines('worker').length).toBeGreaterThan(0);
  });

  it('traces one payment from the API through the workflow and its activity to the upstream call', async () => {
    const orderId = await simulator.createOrder('APRO');
    const traceId = randomUUID().replaceAll('-', '');
    const callerSpanId = '00f067aa0ba902b7';

    const response = await fetch(`${stack.apiUrl}/v1/orders/${orderId}/process`, {
      method: 'POST',
      headers: { authorization: `Bearer ${CLIENT_TOKENS.checkout}`, 'x-idempotency-key': newKey(), traceparent: `00-${traceId}-${callerSpanId}-01` },
    });
    expect(response.status).toBe(200);

    const spanNames = () => receiver.spans.filter((span) => span.traceId === traceId).map((span) => `${span.service} ${span.name}`);
    const expected = [
      `payment-api POST ${PROCESS_ROUTE}`,
      'payment-api StartWorkflow:paymentWriteWorkflow',
      'payment-worker RunWorkflow:paymentWriteWorkflow',
      'payment-worker StartActivity:sendUpstreamRequest',
      'payment-worker RunActivity:sendUpstreamRequest',
      'payment-worker POST upstream',
    ];
    const seen = await eventually(
      () => Promise.resolve(spanNames()),
      (names) => expected.every((name) => names.includes(name)),
    );
    expect(seen).toEqual(expect.arrayContaining(expected));
    const spans = receiver.spans.filter((span) => span.traceId === traceId);
    const server = spans.find((span) => span.name === `POST ${PROCESS_ROUTE}`)!;
    expect(server.parentSpanId).toBe(callerSpanId);
    const upstream = spans.find((span) => span.name === 'POST upstream')!;
    expect(upstream.parentSpanId).toBe(spans.find((span) => span.name === 'RunActivity:sendUpstreamRequest')!.spanId);
    expect(upstream.attributes).toMatchObject({ 'payment.operation': 'order.process', 'payment.upstream.outcome': 'succeeded', 'http.response.status_code': 200 });
    // Identifiers and outcomes only: no order id, body or token in any span attribute.
    expect(JSON.stringify(spans)).not.toContain(orderId);
    expect(JSON.stringify(spans)).not.toContain(UPSTREAM_TOKEN);
  });

  it('exports every metric the alerting rules and the dashboard name, with the labels they match on', async () => {
    // Temporal Core exports a metric only once it recorded one: a retried attempt runs workflow
    // tasks and an activity task in the worker, so its schedule-to-start histograms are there.
    const orderId = await simulator.createOrder('APRO');
    await simulator.injectProcessFault(orderId, { type: 'respond', status: 503 });
    expect((await api.processOrder(orderId)).status).toBe(200);
    // The hosted worker's metrics exist only in an API that hosts one: a second API, beside this one.
    const hostingOperatorPort = await freePort();
    await stack.startApi(await freePort(), { METRICS_TOKEN, API_HOSTS_WORKER: 'true' }, hostingOperatorPort);
    const hostingApiMetrics = await eventually(
      () => scrape(`http://127.0.0.1:${hostingOperatorPort}/metrics`, { authorization: `Bearer ${METRICS_TOKEN}` }),
      (page) => seriesValue(page, 'hosted_worker_up') === 1,
    );
    const pages = [await apiMetrics(), await workerMetrics(), hostingApiMetrics];
    const families = new Map(pages.flatMap((page) => [...page.matchAll(/^# TYPE (\S+) (\S+)$/gm)].map((match): [string, string] => [match[1]!, match[2]!])));
    // A histogram's series are its family's name with _bucket, _sum or _count.
    const exported = (metric: string) => families.has(metric) || families.get(metric.replace(/_(bucket|sum|count)$/, '')) === 'histogram';
    const sampleLabels = (metric: string) =>
      new Set(pages.flatMap((page) => [...page.matchAll(new RegExp(`^${metric}\\{([^}]*)\\}`, 'gm'))].flatMap((match) => [...match[1]!.matchAll(/(\w+)="/g)].map((pair) => pair[1]!))));
    const recorded = recordedNames();
    const queries = [...ruleQueries(), ...dashboardQueries(JSON.parse(readFileSync(PAYMENTS_DASHBOARD_FILE, 'utf8')) as Dashboard)];

    const missing = queries.flatMap((query) =>
      selectorsOf(query)
        .filter((selector) => !recorded.has(selector.metric))
        .flatMap((selector) => {
          if (!exported(selector.metric)) return [`${query.where}: ${selector.metric} is not exported`];
          // Labels can be checked only on series that have samples; a counter never incremented has none.
          const labels = sampleLabels(selector.metric);
          return labels.size === 0 ? [] : selector.labels.filter((label) => !labels.has(label)).map((label) => `${query.where}: ${selector.metric} has no label ${label}`);
        }),
    );
    expect(missing).toEqual([]);
    expect(queries.length).toBeGreaterThan(20);
  });
});
