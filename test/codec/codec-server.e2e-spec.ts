import { spawnSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { tmpdir } from 'node:os';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { formatPayloadsJson, parsePayloadsJson, type PayloadsJson } from '../../apps/api/src/operator/codec/payloads-json';
import { payloadsIn } from '../../scripts/lib/history-payloads';
import { appEntryPoints } from '../../scripts/lib/paths';
import { locateTemporalCli } from '../../scripts/lib/temporal-cli';
import { ApiClient, newKey } from '../support/api-client';
import { httpRequest, rawHttp } from '../support/raw-http';
import { SimulatorClient } from '../support/simulator-client';
import { CLIENT_TOKENS, CODEC_SESSION_SECRET, OPERATOR_TOKEN, TestStack } from '../support/stack';

const UI_ORIGIN = 'http://127.0.0.1:8233';
const OPERATOR = { authorization: `Bearer ${OPERATOR_TOKEN}` };

describe("the codec server (POST /codec/encode, /codec/decode) on the real API's operator port", () => {
  let stack: TestStack;
  let simulator: SimulatorClient;

  beforeAll(async () => {
    stack = await TestStack.start({ api: { CODEC_ALLOWED_ORIGINS: UI_ORIGIN } });
    simulator = new SimulatorClient(stack.simulatorUrl);
  });
  afterAll(async () => stack.stop());

  async function codec(action: 'encode' | 'decode', body: unknown, headers: Record<string, string> = OPERATOR) {
    const response = await fetch(`${stack.operatorUrl}/codec/${action}?preserveStorageRefs=true`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-namespace': 'default', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    return { status: response.status, headers: response.headers, body: (await response.json()) as unknown };
  }

  const plain = (value: unknown): PayloadsJson => formatPayloadsJson([defaultPayloadConverter.toPayload(value)]);
  const valuesOf = (body: unknown): unknown[] => {
    const parsed = parsePayloadsJson(body);
    if (!parsed.ok) throw new Error(parsed.problem);
    return parsed.payloads.map((payload) => defaultPayloadConverter.fromPayload(payload));
  };

  /** A processed payment's history payloads, exactly as Temporal stores them (encrypted). */
  async function processedPaymentPayloads(): Promise<{ orderId: string; key: string; payloads: Payload[] }> {
    const orderId = await simulator.createOrder('APRO');
    const key = newKey();
    expect((await new ApiClient(stack.apiUrl).processOrder(orderId, { key })).status).toBe(200);
    const history = await stack.temporal.workflow.getHandle(key).fetchHistory();
    return { orderId, key, payloads: [...payloadsIn(history.events)].map(({ payload }) => payload) };
  }

  it('is served on the operator port only, with /metrics: the checkout port answers 404 there', async () => {
    const operatorRoutes = [
      ['GET', '/codec/login'],
      ['POST', '/codec/login'],
      ['POST', '/codec/logout'],
      ['POST', '/codec/decode'],
      ['POST', '/codec/encode'],
      ['GET', '/metrics'],
    ] as const;
    for (const [method, path] of operatorRoutes) {
      const onCheckoutPort = await fetch(`${stack.apiUrl}${path}`, { method, headers: OPERATOR });
      expect({ method, path, status: onCheckoutPort.status }).toEqual({ method, path, status: 404 });
    }

    expect((await fetch(`${stack.operatorUrl}/codec/login`)).status).toBe(200);
    expect(await (await fetch(`${stack.operatorUrl}/metrics`)).text()).toContain('# TYPE http_requests_total counter');
    // Nor does the payment API answer on the operator port.
    expect((await fetch(`${stack.operatorUrl}/health/live`)).status).toBe(404);
    expect((await fetch(`${stack.apiUrl}/health/live`)).status).toBe(200);
  });

  it('encrypts and decrypts a round trip, and passes payloads that are not its own through unchanged', async () => {
    const secret = { card: { token: 'ff8080814c11e237014c1ff593b57b4d' } };

    const encoded = await codec('encode', plain(secret));
    expect(encoded.status).toBe(200);
    expect(JSON.stringify(encoded.body)).not.toContain(Buffer.from('ff8080814c11e237014c1ff593b57b4d').toString('base64').slice(0, 16));
    const [encrypted] = (encoded.body as PayloadsJson).payloads;
    expect(Buffer.from(encrypted!.metadata!.encoding!, 'base64').toString()).toBe('binary/encrypted');

    const decoded = await codec('decode', { payloads: [encrypted, ...plain('not ours').payloads] });
    expect(decoded.status).toBe(200);
    expect(valuesOf(decoded.body)).toEqual([secret, 'not ours']);
    expect((decoded.body as PayloadsJson).payloads[1]).toEqual(plain('not ours').payloads[0]);
  });

  it("decrypts a processed payment's history: the request and the upstream's answer", async () => {
    const { orderId, payloads } = await processedPaymentPayloads();
    expect(JSON.stringify(formatPayloadsJson(payloads))).not.toContain(Buffer.from(orderId).toString('base64'));

    const decoded = await codec('decode', formatPayloadsJson(payloads));

    expect(decoded.status).toBe(200);
    const text = JSON.stringify(valuesOf(decoded.body));
    expect(text).toContain(`/v1/orders/${orderId}/process`);
    expect(text).toContain('accredited');
  });

  it.each([
    ['no credentials', {}],
    ['an unknown token', { authorization: 'Bearer not-an-operator' }],
    ["a checkout client's token", { authorization: `Bearer ${CLIENT_TOKENS.checkout}` }],
    ['a forged session cookie', { cookie: 'codec_session=b3BlcmF0b3I.99999999999999.forged' }],
  ])('refuses %s with 401 and decrypts nothing', async (_case, headers) => {
    const { payloads } = await processedPaymentPayloads();

    const answer = await codec('decode', formatPayloadsJson(payloads), headers);

    expect(answer.status).toBe(401);
    expect(answer.body).toEqual({ error: 'unauthorized', message: expect.stringContaining('/codec/login') as unknown });
  });

  it.each([
    ['malformed JSON', '{"payloads": [', 'json_syntax_error'],
    ['no payloads list', { payload: [] }, 'invalid_body'],
    ['data that is not base64', { payloads: [{ data: '***' }] }, 'invalid_body'],
    [
      'a payload encrypted with an unknown key',
      { payloads: [{ metadata: { encoding: Buffer.from('binary/encrypted').toString('base64'), 'encryption-key-id': 'Z29uZQ==' }, data: 'AAAA' }] },
      'invalid_body',
    ],
  ])('answers %s with 400 and a clear JSON error', async (_case, body, error) => {
    const answer = await codec('decode', body);
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({ error, message: expect.any(String) as unknown });
  });

  it('refuses an operator token sent alongside a second Authorization header', async () => {
    const twice = [`Authorization: Bearer ${OPERATOR_TOKEN}`, `Authorization: Bearer ${CLIENT_TOKENS.checkout}`];
    const request = httpRequest('POST', '/codec/decode', ['Content-Type: application/json', ...twice], JSON.stringify(plain(1)));
    const answer = await rawHttp(stack.operatorUrl, [request]);
    expect(answer).toMatchObject({ status: 401, body: { error: 'unauthorized' } });
  });

  it('refuses another namespace and bodies over its bound', async () => {
    const otherNamespace = await codec('decode', plain(1), { ...OPERATOR, 'x-namespace': 'payments-eu' });
    expect(otherNamespace.status).toBe(400);
    expect(otherNamespace.body).toMatchObject({ message: expect.stringContaining('"payments-eu"') as unknown });

    const huge = await codec('decode', { payloads: [{ data: 'A'.repeat(4 * 1024 * 1024) }] });
    expect(huge).toMatchObject({ status: 413, body: { error: 'payload_too_large' } });
  });

  it("answers the Web UI's preflight with credentials, and gives other origins no CORS grant", async () => {
    const preflight = (origin: string) =>
      fetch(`${stack.operatorUrl}/codec/decode`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,x-namespace,authorization' },
      });

    const granted = await preflight(UI_ORIGIN);
    expect(granted.status).toBe(204);
    const corsHeaders = ['access-control-allow-origin', 'access-control-allow-credentials', 'access-control-allow-methods', 'access-control-allow-headers', 'vary'];
    expect(Object.fromEntries(corsHeaders.map((name) => [name, granted.headers.get(name)]))).toEqual({
      'access-control-allow-origin': UI_ORIGIN,
      'access-control-allow-credentials': 'true',
      'access-control-allow-methods': 'POST',
      'access-control-allow-headers': 'Authorization, Content-Type, X-Namespace',
      vary: 'Origin',
    });
    const refused = await preflight('http://localhost:8233');
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
    const answer = await codec('decode', plain(1), { ...OPERATOR, origin: UI_ORIGIN });
    expect(answer.headers.get('access-control-allow-origin')).toBe(UI_ORIGIN);
  });

  it('signs an operator in through the login page with a session cookie that decrypts, and out again', async () => {
    const login = (token: string) =>
      fetch(`${stack.operatorUrl}/codec/login`, { method: 'POST', redirect: 'manual', headers: { origin: stack.operatorUrl }, body: new URLSearchParams({ token }) });

    const page = await fetch(`${stack.operatorUrl}/codec/login`);
    expect(page.headers.get('content-security-policy')).toMatch(/default-src 'none'.*form-action 'self'.*frame-ancestors 'none'/);
    expect(await page.text()).toContain('name="token"');
    expect((await login(CLIENT_TOKENS.checkout)).status).toBe(401);

    const signedIn = await login(OPERATOR_TOKEN);
    expect(signedIn.status).toBe(303);
    const cookie = signedIn.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^codec_session=[^;]+; Path=\/codec; HttpOnly; SameSite=Strict; Max-Age=28800$/);
    const session = { cookie: cookie.split(';')[0]! };
    expect(await (await fetch(`${stack.operatorUrl}/codec/login`, { headers: session })).text()).toContain('Signed in as <strong>operator</strong>');
    const encrypted = (await codec('encode', plain('hello'))).body;
    expect(valuesOf((await codec('decode', encrypted, session)).body)).toEqual(['hello']);

    const signedOut = await fetch(`${stack.operatorUrl}/codec/logout`, { method: 'POST', redirect: 'manual', headers: { ...session, origin: stack.operatorUrl } });
    expect(signedOut.headers.get('set-cookie')).toMatch(/^codec_session=; .*Max-Age=0$/);
  });

  describe('sign-in hardening', () => {
    const post = (path: 'login' | 'logout', headers: Record<string, string>, token?: string) =>
      fetch(`${stack.operatorUrl}/codec/${path}`, { method: 'POST', redirect: 'manual', headers, body: token === undefined ? undefined : new URLSearchParams({ token }) });
    /** A session cookie from the login page, as `name=value`. */
    const signedInCookie = async () => (await post('login', { origin: stack.operatorUrl }, OPERATOR_TOKEN)).headers.get('set-cookie')?.split(';')[0] ?? '';

    /** Headers of a browser's POST, given this server's own origin. */
    type BrowserHeaders = (own: string) => Record<string, string>;

    it.each<[string, BrowserHeaders]>([
      ['another site (Sec-Fetch-Site: cross-site)', () => ({ 'sec-fetch-site': 'cross-site', origin: 'http://evil.example' })],
      ['a sibling of the same site (Sec-Fetch-Site: same-site), even naming this origin', (own) => ({ 'sec-fetch-site': 'same-site', origin: own })],
      ['another origin, by Origin alone', () => ({ origin: 'http://localhost:8233' })],
      ['an opaque origin (Origin: null)', () => ({ origin: 'null' })],
      ['neither Sec-Fetch-Site nor Origin', () => ({})],
    ])('refuses a sign-in and a sign-out from %s with 403, setting no cookie', async (_case, headers) => {
      for (const answer of [await post('login', headers(stack.operatorUrl), OPERATOR_TOKEN), await post('logout', headers(stack.operatorUrl))]) {
        expect(answer.status).toBe(403);
        expect(answer.headers.get('set-cookie')).toBeNull();
        expect(await answer.text()).toContain(`Refused: this request did not come from this page. Sign in or out at ${stack.operatorUrl}/codec/login.`);
      }
    });

    it.each<[string, BrowserHeaders]>([
      ['Sec-Fetch-Site: same-origin', () => ({ 'sec-fetch-site': 'same-origin' })],
      ['Sec-Fetch-Site: none (typed by the user)', () => ({ 'sec-fetch-site': 'none', origin: 'http://evil.example' })],
      ['its own Origin', (own) => ({ origin: own })],
    ])('accepts a sign-in and a sign-out with %s', async (_case, headers) => {
      expect((await post('login', headers(stack.operatorUrl), OPERATOR_TOKEN)).status).toBe(303);
      expect((await post('logout', headers(stack.operatorUrl))).status).toBe(303);
    });

    it('treats several session cookies as none, whichever comes first (cookie tossing)', async () => {
      const own = await signedInCookie();
      const planted = 'codec_session=b3BlcmF0b3I.99999999999999.planted';
      expect((await codec('decode', plain(1), { cookie: own })).status).toBe(200);

      for (const cookie of [`${own}; ${planted}`, `${planted}; ${own}`]) {
        expect((await codec('decode', plain(1), { cookie })).status).toBe(401);
        expect(await (await fetch(`${stack.operatorUrl}/codec/login`, { headers: { cookie } })).text()).not.toContain('Signed in as');
      }
    });

    it('refuses a session whose key derives from the operator token alone, as keys did before the server secret', async () => {
      const expiry = Date.now() + 3_600_000;
      const tokenOnlyKey = createHmac('sha256', OPERATOR_TOKEN).update('codec-session-v1').digest();
      const signature = createHmac('sha256', tokenOnlyKey).update(`operator\n${expiry}`).digest('base64url');
      const cookie = `codec_session=${Buffer.from('operator').toString('base64url')}.${expiry}.${signature}`;

      expect((await codec('decode', plain(1), { cookie })).status).toBe(401);
    });

    it('authenticates before reading a body: an anonymous 2.9 MB post is refused without waiting for it', async () => {
      // Headers announcing 2.9 MB, then a few bytes and nothing more: only a server that reads the body first waits.
      const head = ['POST /codec/decode HTTP/1.1', 'Host: 127.0.0.1', 'Connection: close', 'Content-Type: application/json', `Content-Length: ${Math.round(2.9 * 1024 * 1024)}`];
      const answer = await rawHttp(stack.operatorUrl, [`${head.join('\r\n')}\r\n\r\n{"payloads":[`], { timeoutMs: 5_000 });

      expect(answer).toMatchObject({ status: 401, body: { error: 'unauthorized' } });
    });

    // SECURITY.md and docs/operations.md, "Sign-in rate limit": 10 failures per address in a
    // one-minute window opened by the first, then 429 with the seconds left in the window.
    it('answers 429 with Retry-After once an address has failed to sign in 10 times in a minute, even to the right token', async () => {
      // An address no other test signs in from (any of 127/8 reaches this machine): its count starts at zero.
      const signIn = (token: string) =>
        rawHttp(
          stack.operatorUrl,
          // httpRequest names the host without its port, and the same-origin check compares with it.
          [httpRequest('POST', '/codec/login', ['Origin: http://127.0.0.1', 'Content-Type: application/x-www-form-urlencoded'], new URLSearchParams({ token }).toString())],
          { localAddress: '127.0.0.2' },
        );
      const wrong = 'not-an-operator-token-but-long-enough-for-one';
      const firstFailureAt = Date.now();
      const statuses: number[] = [];
      for (let attempt = 0; attempt < 11; attempt += 1) statuses.push((await signIn(wrong)).status);

      expect(statuses).toEqual([...Array<number>(10).fill(401), 429]);
      const limited = await signIn(OPERATOR_TOKEN);
      expect(limited.status).toBe(429);
      expect(limited.headers).not.toMatch(/^set-cookie:/im);
      const retryAfter = Number(/^retry-after: (\d+)\r?$/im.exec(limited.headers)?.[1]);
      expect(retryAfter).toBeLessThanOrEqual(60);
      expect(retryAfter).toBeGreaterThanOrEqual(60 - Math.ceil((Date.now() - firstFailureAt) / 1000));
      expect(String(limited.body)).toContain('Too many failed sign-ins from your address');
      // Counted per address: the suite's own address still signs in …
      expect((await post('login', { origin: stack.operatorUrl }, OPERATOR_TOKEN)).status).toBe(303);
      // … and bearer tokens are not sign-ins: the CLI and scripts go on working.
      expect((await codec('decode', plain(1))).status).toBe(200);
    });

    it.each([
      [
        'an operator token under 32 characters',
        { OPERATOR_TOKENS: 'operator:short-operator-token', CODEC_SESSION_SECRET },
        'OPERATOR_TOKENS is invalid: the token of "operator" has 20 characters; at least 32 are required',
      ],
      ['operators but no session secret', { OPERATOR_TOKENS: `operator:${OPERATOR_TOKEN}` }, 'CODEC_SESSION_SECRET is required with OPERATOR_TOKENS'],
      [
        'a session secret under 32 characters',
        { OPERATOR_TOKENS: `operator:${OPERATOR_TOKEN}`, CODEC_SESSION_SECRET: 'short-secret' },
        'CODEC_SESSION_SECRET is invalid: must have at least 32 characters',
      ],
    ])('keeps the API from starting with %s, naming the variable', (_case, codecEnvironment, message) => {
      const started = spawnSync(process.execPath, [appEntryPoints.api], {
        env: { PATH: process.env.PATH, PORT: '0', OPERATOR_PORT: '0', API_TOKENS: `checkout:${CLIENT_TOKENS.checkout}`, UPSTREAM_ACCESS_TOKEN: 'APP_USR-unused', ...codecEnvironment },
        cwd: tmpdir(),
        encoding: 'utf8',
        timeout: 15_000,
      });

      expect(started.status).toBe(1);
      expect(started.stderr).toContain(message);
    });
  });

  it('lets the Temporal CLI show a run decrypted with --codec-endpoint and --codec-auth', async () => {
    const { orderId, key } = await processedPaymentPayloads();
    const show = (...codecFlags: string[]) =>
      spawnSync(
        locateTemporalCli(),
        ['workflow', 'show', '--address', process.env.TEST_TEMPORAL_ADDRESS!, '--workflow-id', key, '--output', 'json', '--codec-endpoint', `${stack.operatorUrl}/codec`, ...codecFlags],
        { encoding: 'utf8', timeout: 30_000 },
      );

    // `--output json` prints payload data as base64: decode it to read what the CLI received.
    const readable = (stdout: string) =>
      JSON.stringify(JSON.parse(stdout), (name, value: unknown) => (name === 'data' && typeof value === 'string' ? Buffer.from(value, 'base64').toString('utf8') : value));

    const decrypted = show('--codec-auth', `Bearer ${OPERATOR_TOKEN}`);
    expect(decrypted.status).toBe(0);
    expect(readable(decrypted.stdout)).toContain(`/v1/orders/${orderId}/process`);

    const refused = show('--codec-auth', `Bearer ${CLIENT_TOKENS.checkout}`);
    // The codec's 401 makes the CLI give up on the history instead of printing ciphertext.
    expect(refused.status).not.toBe(0);
    expect(refused.stdout).not.toContain(Buffer.from(`/v1/orders/${orderId}`).toString('base64').slice(0, 12));
  });
});

describe('the codec session cookie over HTTPS (CODEC_COOKIE_SECURE=true)', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await TestStack.start({ api: { CODEC_COOKIE_SECURE: 'true' } });
  });
  afterAll(async () => stack.stop());

  it('is __Host-codec_session, Secure with Path=/, and a cookie of another name does not count', async () => {
    const login = (origin: string) =>
      fetch(`${stack.operatorUrl}/codec/login`, { method: 'POST', redirect: 'manual', headers: { origin }, body: new URLSearchParams({ token: OPERATOR_TOKEN }) });
    const decode = (cookie: string) =>
      fetch(`${stack.operatorUrl}/codec/decode`, { method: 'POST', headers: { 'content-type': 'application/json', cookie }, body: JSON.stringify({ payloads: [] }) });

    // Served over HTTPS, its pages' origin is https://…: a plain-HTTP page is another origin.
    expect((await login(stack.operatorUrl)).status).toBe(403);
    const signedIn = await login(stack.operatorUrl.replace(/^http:/, 'https:'));
    expect(signedIn.status).toBe(303);
    const cookie = signedIn.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^__Host-codec_session=[^;]+; Path=\/; HttpOnly; SameSite=Strict; Max-Age=28800; Secure$/);
    const value = cookie.slice(cookie.indexOf('=') + 1, cookie.indexOf(';'));

    expect((await decode(`__Host-codec_session=${value}`)).status).toBe(200);
    expect((await decode(`codec_session=${value}`)).status).toBe(401);
  });
});
