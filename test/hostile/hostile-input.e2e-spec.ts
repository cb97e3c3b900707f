import { signedNotification } from '../support/mercadopago-notifications';
import { scrape, seriesValue } from '../support/prometheus-text';
import { CLIENT_TOKENS, OPERATOR_TOKEN, TestStack } from '../support/stack';
import { eventually, runExists } from '../support/temporal-assertions';
import { httpRequest, keptAliveAnswers, rawHttp, type RawAnswer } from '../support/raw-http';
import { SimulatorClient } from '../support/simulator-client';

const AUTH = `Authorization: Bearer ${CLIENT_TOKENS.checkout}`;
const JSON_TYPE = 'Content-Type: application/json';
const VALID_ORDER = 'ORD01J49MMW3SSBK5PSV3DFR32959';
/** When Node's http server closes an idle kept-alive connection by default: keepAliveTimeout (5 s) plus the 1 s Node adds. */
const NODE_DEFAULT_IDLE_CLOSE_MS = 6_000;

/**
 * Input a checkout service would never send, sent byte for byte: every answer must be a
 * documented status with a clear JSON error body, nothing refused may start a run, and the API
 * must stay healthy afterwards.
 */
describe('hostile input', () => {
  let stack: TestStack;
  /** Every key sent with a request that must be refused; none may ever name a run. */
  const refusedKeys: string[] = [];
  const key = (): string => {
    const next = `hostile-${Date.now()}-${refusedKeys.length}`;
    refusedKeys.push(next);
    return next;
  };

  beforeAll(async () => {
    stack = await TestStack.start({ api: { HTTP_HEADERS_TIMEOUT_MS: '1500', HTTP_REQUEST_TIMEOUT_MS: '3000', LOG_LEVEL: 'info' } });
  });
  afterAll(async () => stack.stop());

  const send = (request: string): Promise<RawAnswer> => rawHttp(stack.apiUrl, [request]);

  /** The API's JSON log lines so far (the stack prefixes each with `[api] `). */
  const apiLogLines = (): Array<Record<string, unknown>> =>
    stack.output.filter((line) => line.startsWith('[api] ')).map((line) => JSON.parse(line.slice('[api] '.length)) as Record<string, unknown>);
  /** The access line of the request sent with this X-Request-Id, once the API has written it. */
  const accessLine = async (requestId: string): Promise<Record<string, unknown> | undefined> => {
    const find = () => apiLogLines().find((line) => line.requestId === requestId && line.context === 'Http');
    return eventually(
      () => Promise.resolve(find()),
      (line) => line !== undefined,
      10_000,
    );
  };
  /** `http_requests_total` of one route and status, as the operator port's /metrics serves it. */
  const requestsCounted = async (method: string, route: string, status: string): Promise<number> =>
    seriesValue(await scrape(`${stack.operatorUrl}/metrics`), 'http_requests_total', { method, route, status });

  /** A refusal in the Orders shape, with the code the docs give it. */
  function expectRefused(answer: RawAnswer, status: number, code: string): void {
    expect({ status: answer.status, body: answer.body }).toEqual({
      status,
      body: { errors: [{ code, message: expect.any(String) as string }] },
    });
  }

  it('refuses bodies over the limit, announced or chunked, with 413', async () => {
    const huge = JSON.stringify({ padding: 'x'.repeat(5_000_000) });
    expectRefused(await send(httpRequest('POST', '/v1/orders', [AUTH, JSON_TYPE, `X-Idempotency-Key: ${key()}`], huge)), 413, 'payload_too_large');
    const chunk = (text: string): string => `${Buffer.byteLength(text).toString(16)}\r\n${text}\r\n`;
    const chunked = httpRequest('POST', '/v1/orders', [AUTH, JSON_TYPE, `X-Idempotency-Key: ${key()}`, 'Transfer-Encoding: chunked']);
    const answer = await rawHttp(stack.apiUrl, [chunked, chunk(`{"a":"${'y'.repeat(150_000)}`), chunk('"}'), '0\r\n\r\n']);
    expectRefused(answer, 413, 'payload_too_large');
  });

  it.each([
    ['truncated', '{"transactions":'],
    ['a bare word', 'nul'],
    ['a trailing comma', '{"a":1,}'],
    ['single quotes', "{'a':1}"],
    ['an unterminated string with a NUL', '{"a":"\u0000'],
  ])('refuses malformed JSON (%s) with 400 json_syntax_error', async (_case, body) => {
    const answer = await send(httpRequest('POST', `/v1/orders/${VALID_ORDER}/refund`, [AUTH, JSON_TYPE, `X-Idempotency-Key: ${key()}`], body));
    expectRefused(answer, 400, 'json_syntax_error');
  });

  it.each<[string, string, string]>([
    ['a refund of 1e400, which JSON.parse makes Infinity and JSON.stringify null', `/v1/orders/${VALID_ORDER}/refund`, '{"transactions":[{"amount":1e400}]}'],
    ['a refund of -1e400', `/v1/orders/${VALID_ORDER}/refund`, '{"transactions":[{"amount":-1e400}]}'],
    ['an order with an integer beyond 2^53', '/v1/orders', '{"type":"online","external_reference":12345678901234567890}'],
    ['a body on a write that takes none', `/v1/orders/${VALID_ORDER}/process`, '{"amount":1e400}'],
  ])('refuses %s with 400 unrepresentable_number', async (_case, path, body) => {
    expectRefused(await send(httpRequest('POST', path, [AUTH, JSON_TYPE, `X-Idempotency-Key: ${key()}`], body)), 400, 'unrepresentable_number');
  });

  it('refuses a JSON body in a charset other than UTF-8 with 415', async () => {
    const body = Buffer.from('{"transactions":[{"amount":1e400}]}', 'utf16le').toString('latin1');
    const answer = await send(httpRequest('POST', `/v1/orders/${VALID_ORDER}/refund`, [AUTH, 'Content-Type: application/json; charset=utf-16le', `X-Idempotency-Key: ${key()}`], body));
    expectRefused(answer, 415, 'unsupported_media_type');
  });

  it.each(['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml', 'application/json-patch+json'])(
    'refuses a body of type %s with 415',
    async (type) => {
      const answer = await send(httpRequest('POST', `/v1/orders/${VALID_ORDER}/refund`, [AUTH, `Content-Type: ${type}`, `X-Idempotency-Key: ${key()}`], 'a=1'));
      expectRefused(answer, 415, 'unsupported_media_type');
    },
  );

  it('refuses deeply nested JSON that is not an object with 400 invalid_properties', async () => {
    const deep = `${'['.repeat(40_000)}${']'.repeat(40_000)}`;
    expectRefused(await send(httpRequest('POST', '/v1/orders', [AUTH, JSON_TYPE, `X-Idempotency-Key: ${key()}`], deep)), 400, 'invalid_properties');
  });

  it('refuses 15 000 nested objects with 400 invalid_properties instead of overflowing the stack', async () => {
    const deep = `{"a":${'{"a":'.repeat(15_000)}1${'}'.repeat(15_000)}}`;
    expectRefused(await send(httpRequest('POST', '/v1/orders', [AUTH, JSON_TYPE, `X-Idempotency-Key: ${key()}`], deep)), 400, 'invalid_properties');
  });

  it('takes a body nested 32 levels deep, and refuses one nested 33 with 400 invalid_properties (docs/api.md: "deeper than 32 levels")', async () => {
    const nested = (levels: number): string => `${'{"a":'.repeat(levels - 1)}{}${'}'.repeat(levels - 1)}`;
    const acceptedKey = `hostile-nested-32-${Date.now()}`;

    const accepted = await send(httpRequest('POST', '/v1/orders', [AUTH, JSON_TYPE, `X-Idempotency-Key: ${acceptedKey}`], nested(32)));
    const refused = await send(httpRequest('POST', '/v1/orders', [AUTH, JSON_TYPE, `X-Idempotency-Key: ${key()}`], nested(33)));

    // Taken: a run started and the upstream judged the order (its closed schema refuses it).
    expect(accepted.body).not.toEqual({ errors: [expect.objectContaining({ code: 'invalid_properties' })] });
    expect(await runExists(stack.temporal, acceptedKey)).toBe(true);
    expectRefused(refused, 400, 'invalid_properties');
  });

  it.each([
    ['duplicate keys', '{"type":"online","type":"offline"}'],
    ['prototype-pollution keys', '{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}'],
  ])('answers an order body with %s in the Orders error shape, never a crash', async (_case, body) => {
    const answer = await send(httpRequest('POST', '/v1/orders', [AUTH, JSON_TYPE, `X-Idempotency-Key: hostile-odd-${Date.now()}`], body));
    // The upstream's closed schema refuses these orders; what matters is a documented answer.
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({ errors: expect.arrayContaining([expect.objectContaining({ code: expect.any(String) as string })]) as unknown[] });
  });

  it.each<[string, string[], string]>([
    ['no key', [], 'empty_required_header'],
    ['an empty key', ['X-Idempotency-Key: '], 'empty_required_header'],
    ['a key with a space', ['X-Idempotency-Key: two words'], 'invalid_idempotency_key_length'],
    ['a 65-character key', [`X-Idempotency-Key: ${'k'.repeat(65)}`], 'invalid_idempotency_key_length'],
    ['a 10 000-character key', [`X-Idempotency-Key: ${'k'.repeat(10_000)}`], 'invalid_idempotency_key_length'],
    ['two keys', ['X-Idempotency-Key: hostile-one', 'X-Idempotency-Key: hostile-two'], 'invalid_idempotency_key_length'],
    ['a non-ASCII key', ['X-Idempotency-Key: clé-ключ'], 'invalid_idempotency_key_length'],
  ])('refuses %s with 400 before anything starts', async (_case, headers, code) => {
    expectRefused(await send(httpRequest('POST', `/v1/orders/${VALID_ORDER}/process`, [AUTH, ...headers])), 400, code);
  });

  it.each([
    ['no Authorization', []],
    ['Bearer without a token', ['Authorization: Bearer']],
    ['Basic credentials', ['Authorization: Basic Y2hlY2tvdXQ6eA==']],
    ['the token twice', [AUTH, AUTH]],
    ['a lowercase scheme, extra spaces and a wrong token', [`Authorization: bearer   ${CLIENT_TOKENS.checkout}x`]],
    ['a non-ASCII token', ['Authorization: Bearer tökén']],
    ['a 10 000-character token', [`Authorization: Bearer ${'t'.repeat(10_000)}`]],
  ])('answers %s with 401', async (_case, headers) => {
    expectRefused(await send(httpRequest('POST', `/v1/orders/${VALID_ORDER}/process`, [...headers, `X-Idempotency-Key: ${key()}`])), 401, 'unauthorized');
  });

  it('answers headers over the server limit with 431 and a JSON body', async () => {
    const answer = await send(httpRequest('POST', `/v1/orders/${VALID_ORDER}/process`, [AUTH, `X-Padding: ${'p'.repeat(20_000)}`, `X-Idempotency-Key: ${key()}`]));
    expectRefused(answer, 431, 'request_header_fields_too_large');
  });

  it.each<[string, number, string]>([
    ['/v1/orders/..%2F..%2Fhealth%2Flive/process', 400, 'invalid_path_param'],
    [`/v1/orders/${VALID_ORDER}%2Fprocess/process`, 400, 'invalid_path_param'],
    ['/v1/orders/%252E%252E/process', 400, 'invalid_path_param'],
    [`/v1/orders/${VALID_ORDER.toLowerCase()}/process`, 400, 'invalid_path_param'],
    ['/v1/orders/%C3%96RD01J49MMW3SSBK5PSV3DFR3295/process', 400, 'invalid_path_param'],
    ['/v1/orders/%ZZ/process', 400, 'invalid_path_param'],
    [`/v1/orders/ORD${'A'.repeat(5_000)}/process`, 400, 'invalid_path_param'],
    [`/v1/orders/${VALID_ORDER}/process/..`, 404, 'not_found'],
    [`/v1/orders/${VALID_ORDER}/../${VALID_ORDER}/process`, 404, 'not_found'],
    [`/v1/orders/${VALID_ORDER}/unknown`, 404, 'not_found'],
    [`//v1/orders/${VALID_ORDER}/process`, 404, 'not_found'],
  ])('answers the path %s with %i %s', async (path, status, code) => {
    expectRefused(await send(httpRequest('POST', path, [AUTH, `X-Idempotency-Key: ${key()}`])), status, code);
  });

  it("answers a path that is not valid percent-encoding after authentication, with the parameter's own 400", async () => {
    for (const path of ['/v1/payment-runs/x%zz', '/v1/payment-runs/%C3', '/v1/orders/%ZZ/process']) {
      expectRefused(await send(httpRequest(path.endsWith('process') ? 'POST' : 'GET', path, [`X-Idempotency-Key: ${key()}`])), 401, 'unauthorized');
    }
    expectRefused(await send(httpRequest('GET', '/v1/payment-runs/x%zz', [AUTH])), 400, 'invalid_idempotency_key_length');
    expectRefused(await send(httpRequest('GET', '/v1/payment-runs/%C3', [AUTH])), 400, 'invalid_idempotency_key_length');
  });

  it.each(['PUT', 'DELETE', 'PATCH', 'OPTIONS'])('answers %s on a write route with 404 not_found', async (method) => {
    expectRefused(await send(httpRequest(method, `/v1/orders/${VALID_ORDER}/process`, [AUTH, `X-Idempotency-Key: ${key()}`])), 404, 'not_found');
  });

  it('answers requests Node cannot parse with 400 malformed_request and a JSON body', async () => {
    expectRefused(await send('FROB /v1/orders HTTP/1.1\r\nHost: x\r\n\r\n'), 400, 'malformed_request');
    expectRefused(await send('POST /v1/orders HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello'), 400, 'malformed_request');
  });

  it('answers an HTTP/1.1 request without a Host header with 400 malformed_request, logged and counted', async () => {
    const requestId = `hostile-no-host-${Date.now()}`;
    const counted = await requestsCounted('GET', 'unmatched', '400');
    expectRefused(await send(`GET /health/live HTTP/1.1\r\nConnection: close\r\nX-Request-Id: ${requestId}\r\n\r\n`), 400, 'malformed_request');
    expect(await accessLine(requestId)).toMatchObject({ level: 'info', message: 'request answered', status: 400, route: 'unmatched' });
    expect(
      await eventually(
        () => requestsCounted('GET', 'unmatched', '400'),
        (now) => now > counted,
        10_000,
      ),
    ).toBe(counted + 1);
  });

  it.each<[string, () => { url: string; route: string; head: string; part: string }]>([
    [
      'a signed notification',
      () => {
        const notification = signedNotification();
        const headers = Object.entries(notification.headers).map(([name, value]) => `${name}: ${value}`);
        const head = httpRequest('POST', notification.path, [...headers, `Content-Length: ${notification.body.text.length + 100}`]);
        return { url: stack.apiUrl, route: '/webhooks/mercadopago', head, part: notification.body.text };
      },
    ],
    [
      "an operator's codec request",
      () => {
        const head = httpRequest('POST', '/codec/decode', [`Authorization: Bearer ${OPERATOR_TOKEN}`, JSON_TYPE, `X-Request-Id: hostile-codec-${Date.now()}`, 'Content-Length: 1000']);
        return { url: stack.operatorUrl, route: '/codec/decode', head, part: '{"payloads":[' };
      },
    ],
  ])('logs %s its client gave up on mid-body without an error, and counts it aborted, not as an answer', async (_case, request) => {
    const { url, route, head, part } = request();
    const requestId = /x-request-id: (\S+)/i.exec(head)![1]!;
    const before = await requestsCounted('POST', route, 'aborted');
    await rawHttp(url, [head, part], { hangUp: true });
    const access = await accessLine(requestId);
    // The handler fails too, reading a body that will never come: that failure is the client's, not ours.
    const failure = await eventually(
      () => Promise.resolve(apiLogLines().find((line) => line.requestId === requestId && line.context === 'ProblemExceptionFilter')),
      (line) => line !== undefined,
      10_000,
    );
    const aborted = await eventually(
      () => requestsCounted('POST', route, 'aborted'),
      (now) => now > before,
      10_000,
    );
    const statuses = await Promise.all(['200', '201', '400', '500'].map((status) => requestsCounted('POST', route, status)));
    expect({
      access: { level: access?.level, message: access?.message, status: access?.status, completed: access?.completed },
      failure: { level: failure?.level, withStack: String(failure?.message).includes('\n    at ') },
      counted: { aborted: aborted - before, asAnswers: statuses },
    }).toEqual({
      access: { level: 'info', message: 'request aborted', status: undefined, completed: false },
      failure: { level: 'warn', withStack: false },
      counted: { aborted: 1, asAnswers: [0, 0, 0, 0] },
    });
  });

  it('cuts off a client that trickles its headers (slowloris) with 408 and a JSON body', async () => {
    const pieces = ['POST /v1/orders HTTP/1.1\r\n', 'Host: 127.0.0.1\r\n', ...Array.from({ length: 30 }, (_, index) => `X-Slow-${index}: 1\r\n`)];
    expectRefused(await rawHttp(stack.apiUrl, pieces, { pauseMs: 300, timeoutMs: 15_000 }), 408, 'request_timeout');
  });

  it('cuts off a client that trickles its body with 408 and a JSON body', async () => {
    const head = `POST /v1/orders HTTP/1.1\r\nHost: 127.0.0.1\r\n${AUTH}\r\n${JSON_TYPE}\r\nX-Idempotency-Key: ${key()}\r\nContent-Length: 100\r\n\r\n`;
    const answer = await rawHttp(stack.apiUrl, [head, ...Array.from({ length: 40 }, () => ' ')], { pauseMs: 300, timeoutMs: 15_000 });
    expectRefused(answer, 408, 'request_timeout');
  });

  it("keeps an idle kept-alive connection open on both ports past Node's default, for the proxy in front to close (HTTP_KEEP_ALIVE_TIMEOUT_MS)", async () => {
    // A proxy (or a client late by seconds) reuses its connection after an idle spell: the request
    // must be answered, not lost to the API closing the connection under it. The slow-client
    // deadlines, short here (1.5 s, 3 s), bound requests, not the idle time between them.
    const get = (path: string): string => `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`;
    const idle = { idleMs: NODE_DEFAULT_IDLE_CLOSE_MS + 1_000 };
    const [checkout, operator] = await Promise.all([
      keptAliveAnswers(stack.apiUrl, [get('/health/live'), get('/health/live')], idle),
      keptAliveAnswers(stack.operatorUrl, [get('/metrics'), get('/metrics')], idle),
    ]);

    expect([...checkout, ...operator].map((answer) => answer.status)).toEqual([200, 200, 200, 200]);
    // What the API tells its clients to keep the connection for (docs/operations.md).
    expect(checkout[0]!.headers).toMatch(/^keep-alive: timeout=65$/im);
    expect(operator[0]!.headers).toMatch(/^keep-alive: timeout=65$/im);
  });

  it('is still healthy afterwards, no refused request started a run, and the upstream heard none', async () => {
    const live = await fetch(`${stack.apiUrl}/health/live`);
    expect(live.status).toBe(200);
    const started: string[] = [];
    for (const refused of refusedKeys) if (await runExists(stack.temporal, refused)) started.push(refused);
    expect(refusedKeys.length).toBeGreaterThan(30);
    expect(started).toEqual([]);
    expect(await new SimulatorClient(stack.simulatorUrl).calls('/v1/orders/{id}/process', VALID_ORDER, 0)).toEqual([]);
  });
});
