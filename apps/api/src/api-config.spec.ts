import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import { ConfigError } from '@app/config';
import { repoRoot } from '../../../scripts/lib/paths';
import { loadApiConfig, operatorCredentials } from './api-config';

const OPERATOR_SECRET = 'operator-secret-of-thirty-two-chars';
const SESSION_SECRET = 'session-secret-of-thirty-two-characters';
/** Long enough to pass as an operator token, so only the sharing is wrong. */
const CLIENT_SECRET = 'client-secret-long-enough-for-an-operator';

/** Every problem start-up names, or a failure when it accepted the configuration. */
function problemsOf(environment: NodeJS.ProcessEnv): readonly string[] {
  try {
    loadApiConfig(environment);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('the configuration was accepted');
}

describe('loadApiConfig', () => {
  it('applies the documented defaults and parses client tokens', () => {
    const config = loadApiConfig({ UPSTREAM_ACCESS_TOKEN: 'APP_USR-merchant', API_TOKENS: 'checkout:secret-1, marketplace:secret:with:colons' });

    expect(config).toMatchObject({
      PORT: 3000,
      HOST: '127.0.0.1',
      TEMPORAL_ADDRESS: '127.0.0.1:7233',
      TEMPORAL_NAMESPACE: 'default',
      TEMPORAL_TASK_QUEUE: 'payments',
      WAIT_FOR_RESULT_MS: 10_000,
      UPSTREAM_ATTEMPT_ACTIVITY: 'first_local',
    });
    expect([...config.API_TOKENS]).toEqual([
      ['checkout', 'secret-1'],
      ['marketplace', 'secret:with:colons'],
    ]);
  });

  it('names every missing or bad variable at once, without echoing secrets', () => {
    const attempt = () => loadApiConfig({ UPSTREAM_ACCESS_TOKEN: 'APP_USR-merchant', API_TOKENS: 'no-separator-secret', PORT: 'eighty', WAIT_FOR_RESULT_MS: '-5' });

    expect(attempt).toThrow(ConfigError);
    const message = (() => {
      try {
        attempt();
        return '';
      } catch (error) {
        return (error as Error).message;
      }
    })();
    expect(message).toMatch(/API_TOKENS is invalid/);
    expect(message).toMatch(/PORT is invalid/);
    expect(message).toMatch(/WAIT_FOR_RESULT_MS is invalid/);
    expect(message).not.toContain('no-separator-secret');
  });

  it("keeps idle connections longer than a load balancer's 60 s by default, and names a keep-alive timeout Node cannot arm", () => {
    const base = { UPSTREAM_ACCESS_TOKEN: 'APP_USR-merchant', API_TOKENS: 'checkout:secret-1' };

    expect(loadApiConfig(base).HTTP_KEEP_ALIVE_TIMEOUT_MS).toBe(65_000);
    expect(loadApiConfig({ ...base, HTTP_KEEP_ALIVE_TIMEOUT_MS: '620000' }).HTTP_KEEP_ALIVE_TIMEOUT_MS).toBe(620_000);
    for (const bad of ['0', '-1', '1.5', 'forever']) {
      expect(() => loadApiConfig({ ...base, HTTP_KEEP_ALIVE_TIMEOUT_MS: bad })).toThrow(/HTTP_KEEP_ALIVE_TIMEOUT_MS is invalid/);
    }
    expect(() => loadApiConfig({ ...base, HTTP_KEEP_ALIVE_TIMEOUT_MS: String(2 ** 31) })).toThrow(/HTTP_KEEP_ALIVE_TIMEOUT_MS is invalid: must be at most 2147482647 ms/);
  });

  it('takes local or regular attempts and names anything else', () => {
    const base = { UPSTREAM_ACCESS_TOKEN: 'APP_USR-merchant', API_TOKENS: 'checkout:secret-1' };

    expect(loadApiConfig({ ...base, UPSTREAM_ATTEMPT_ACTIVITY: 'local' }).UPSTREAM_ATTEMPT_ACTIVITY).toBe('local');
    expect(() => loadApiConfig({ ...base, UPSTREAM_ATTEMPT_ACTIVITY: 'eager' })).toThrow(/UPSTREAM_ATTEMPT_ACTIVITY is invalid/);
  });

  it('follows waiting orders by default, and requires the poll to back off within the horizon', () => {
    const base = { UPSTREAM_ACCESS_TOKEN: 'APP_USR-merchant', API_TOKENS: 'checkout:secret-1' };

    expect(loadApiConfig(base)).toMatchObject({
      FOLLOW_UP_ENABLED: true,
      FOLLOW_UP_POLL_INITIAL_MS: 10_000,
      FOLLOW_UP_POLL_MAX_INTERVAL_MS: 600_000,
      FOLLOW_UP_HORIZON_MS: 259_200_000,
      FOLLOW_UP_MIN_NOTIFIED_READ_INTERVAL_MS: 10_000,
    });
    expect(loadApiConfig({ ...base, FOLLOW_UP_ENABLED: 'false' }).FOLLOW_UP_ENABLED).toBe(false);
    expect(() => loadApiConfig({ ...base, FOLLOW_UP_POLL_INITIAL_MS: '700000' })).toThrow(/FOLLOW_UP_POLL_INITIAL_MS ≤ FOLLOW_UP_POLL_MAX_INTERVAL_MS ≤ FOLLOW_UP_HORIZON_MS/);
    expect(() => loadApiConfig({ ...base, FOLLOW_UP_HORIZON_MS: '60000' })).toThrow(/FOLLOW_UP_POLL_INITIAL_MS ≤ FOLLOW_UP_POLL_MAX_INTERVAL_MS ≤ FOLLOW_UP_HORIZON_MS/);
    // Above the poll's maximum interval it is allowed: a poll due sooner still reads then.
    expect(loadApiConfig({ ...base, FOLLOW_UP_POLL_MAX_INTERVAL_MS: '1000', FOLLOW_UP_POLL_INITIAL_MS: '500' }).FOLLOW_UP_MIN_NOTIFIED_READ_INTERVAL_MS).toBe(10_000);
    expect(() => loadApiConfig({ ...base, FOLLOW_UP_MIN_NOTIFIED_READ_INTERVAL_MS: '0' })).toThrow(/FOLLOW_UP_MIN_NOTIFIED_READ_INTERVAL_MS is invalid/);
  });

  it('requires API_TOKENS and treats an empty value as unset', () => {
    expect(() => loadApiConfig({ UPSTREAM_ACCESS_TOKEN: 'APP_USR-merchant', API_TOKENS: '' })).toThrow(/API_TOKENS is required/);
  });

  it('reads operator tokens, their session secret and Web UI origins, and keeps the codec off without operators', () => {
    const base = { UPSTREAM_ACCESS_TOKEN: 'APP_USR-merchant', API_TOKENS: 'checkout:client-secret' };

    const config = loadApiConfig({
      ...base,
      OPERATOR_TOKENS: `alice:${OPERATOR_SECRET}`,
      CODEC_SESSION_SECRET: SESSION_SECRET,
      CODEC_ALLOWED_ORIGINS: 'http://127.0.0.1:8233, https://ui.example',
    });

    expect([...config.OPERATOR_TOKENS!]).toEqual([['alice', OPERATOR_SECRET]]);
    expect(operatorCredentials(config)).toEqual({ operators: config.OPERATOR_TOKENS, sessionSecret: SESSION_SECRET });
    expect([...config.CODEC_ALLOWED_ORIGINS!]).toEqual(['http://127.0.0.1:8233', 'https://ui.example']);
    expect(config).toMatchObject({ CODEC_SESSION_TTL_MS: 28_800_000, CODEC_COOKIE_SECURE: false });
    expect(loadApiConfig(base).OPERATOR_TOKENS).toBeUndefined();
    expect(operatorCredentials(loadApiConfig(base))).toBeNull();
  });

  it.each([
    ['CODEC_ALLOWED_ORIGINS', 'http://127.0.0.1:8233/', /CODEC_ALLOWED_ORIGINS is invalid: .*not an origin/],
    ['CODEC_ALLOWED_ORIGINS', 'ui.example', /CODEC_ALLOWED_ORIGINS is invalid/],
    ['CODEC_COOKIE_SECURE', 'yes', /CODEC_COOKIE_SECURE is invalid/],
    ['OPERATOR_TOKENS', 'client-secret', /OPERATOR_TOKENS is invalid/],
    ['OPERATOR_TOKENS', `alice:${CLIENT_SECRET}`, /OPERATOR_TOKENS is invalid: an operator token is also a checkout client's token/],
    ['OPERATOR_TOKENS', `alice:${OPERATOR_SECRET},bob:short-client-secret`, /OPERATOR_TOKENS is invalid: the token of "bob" has 19 characters; at least 32 are required/],
    ['CODEC_SESSION_SECRET', 'short-client-secret', /CODEC_SESSION_SECRET is invalid: must have at least 32 characters/],
  ])('refuses %s=%p', (name, value, message) => {
    const attempt = () =>
      loadApiConfig({
        UPSTREAM_ACCESS_TOKEN: 'APP_USR-merchant',
        API_TOKENS: `checkout:${CLIENT_SECRET}`,
        OPERATOR_TOKENS: `alice:${OPERATOR_SECRET}`,
        CODEC_SESSION_SECRET: SESSION_SECRET,
        [name]: value,
      });
    expect(attempt).toThrow(message);
    expect(attempt).not.toThrow(/client-secret/);
  });

  it('requires CODEC_SESSION_SECRET with OPERATOR_TOKENS, by name', () => {
    const attempt = () => loadApiConfig({ UPSTREAM_ACCESS_TOKEN: 'APP_USR-merchant', API_TOKENS: 'checkout:client-secret', OPERATOR_TOKENS: `alice:${OPERATOR_SECRET}` });
    expect(attempt).toThrow(/CODEC_SESSION_SECRET is required with OPERATOR_TOKENS/);
  });
});

describe('loadApiConfig merchants', () => {
  const first = { UPSTREAM_ACCESS_TOKEN: 'APP_USR-first', API_TOKENS: 'checkout:token-a,backoffice:token-b' };
  const acme = {
    MERCHANTS: 'acme',
    MERCHANT_ACME_TEMPORAL_NAMESPACE: 'acme-payments',
    MERCHANT_ACME_UPSTREAM_ACCESS_TOKEN: 'APP_USR-acme',
    MERCHANT_ACME_API_TOKENS: 'acme-shop:token-c',
  };

  it('keeps the single-merchant configuration as it was: one merchant, the namespace named, every client its own orders', () => {
    const { merchants } = loadApiConfig({ ...first, TEMPORAL_NAMESPACE: 'payments' });

    expect(merchants).toHaveLength(1);
    expect(merchants[0]).toMatchObject({ name: 'default', namespace: 'payments', upstreamAccessToken: 'APP_USR-first', ordersCreatedElsewhere: 'allow' });
    expect([...merchants[0]!.clients.keys()]).toEqual(['checkout', 'backoffice']);
    expect(merchants[0]!.trustedClients.size).toBe(0);
  });

  it('reads each listed merchant from its prefixed variables', () => {
    const { merchants } = loadApiConfig({ ...first, ...acme, TRUSTED_CLIENTS: 'backoffice', MERCHANT_ACME_ORDERS_CREATED_ELSEWHERE: 'deny' });

    expect(merchants.map(({ name, namespace, upstreamAccessToken, ordersCreatedElsewhere }) => ({ name, namespace, upstreamAccessToken, ordersCreatedElsewhere }))).toEqual([
      { name: 'default', namespace: 'default', upstreamAccessToken: 'APP_USR-first', ordersCreatedElsewhere: 'allow' },
      { name: 'acme', namespace: 'acme-payments', upstreamAccessToken: 'APP_USR-acme', ordersCreatedElsewhere: 'deny' },
    ]);
    expect([...merchants[0]!.trustedClients]).toEqual(['backoffice']);
    expect([...merchants[1]!.clients.keys()]).toEqual(['acme-shop']);
  });

  it("reads each merchant's client quotas, the documented defaults unless set, and refuses one that is not a positive whole number", () => {
    const { merchants } = loadApiConfig({ ...first, ...acme, MERCHANT_ACME_CLIENT_REQUESTS_PER_SECOND: '5', MERCHANT_ACME_CLIENT_RUNS_IN_FLIGHT: '2' });

    expect(merchants.map(({ clientQuotas }) => clientQuotas)).toEqual([
      { requestsPerSecond: 500, requestBurst: 2_000, runsInFlight: 1_000 },
      { requestsPerSecond: 5, requestBurst: 2_000, runsInFlight: 2 },
    ]);
    expect(() => loadApiConfig({ ...first, CLIENT_REQUEST_BURST: '0' })).toThrow(/CLIENT_REQUEST_BURST is invalid/);
    expect(() => loadApiConfig({ ...first, ...acme, MERCHANT_ACME_CLIENT_REQUESTS_PER_SECOND: 'many' })).toThrow(/MERCHANT_ACME_CLIENT_REQUESTS_PER_SECOND is invalid/);
    expect(() => loadApiConfig({ ...first, UPSTREAM_CONCURRENCY_PER_MERCHANT: '-1' })).toThrow(/UPSTREAM_CONCURRENCY_PER_MERCHANT is invalid/);
  });

  it("reads each merchant's own webhook secret, none by default, and the signature tolerance", () => {
    const config = loadApiConfig({ ...first, ...acme, MERCHANT_ACME_MERCADOPAGO_WEBHOOK_SECRET: 'acme-webhook-secret' });

    expect(config.merchants.map(({ name, webhookSecret }) => ({ name, webhookSecret }))).toEqual([
      { name: 'default', webhookSecret: null },
      { name: 'acme', webhookSecret: 'acme-webhook-secret' },
    ]);
    expect(config.WEBHOOK_SIGNATURE_TOLERANCE_MS).toBe(300_000);
    expect(loadApiConfig({ ...first, MERCADOPAGO_WEBHOOK_SECRET: 'default-webhook-secret' }).merchants[0]!.webhookSecret).toBe('default-webhook-secret');
  });

  it.each<[string, NodeJS.ProcessEnv, RegExp]>([
    ['a listed merchant without its variables', { MERCHANTS: 'acme' }, /MERCHANT_ACME_TEMPORAL_NAMESPACE is required.*\n.*MERCHANT_ACME_UPSTREAM_ACCESS_TOKEN is required/],
    ['two merchants in one namespace', { ...acme, MERCHANT_ACME_TEMPORAL_NAMESPACE: 'default' }, /merchants "default" and "acme" share the Temporal namespace "default"/],
    ['one client name in two merchants', { ...acme, MERCHANT_ACME_API_TOKENS: 'checkout:token-c' }, /merchants "default" and "acme" share the client name "checkout"/],
    ['one token held by two clients', { ...acme, MERCHANT_ACME_API_TOKENS: 'acme-shop:token-a' }, /clients "checkout" and "acme-shop" hold the same token/],
    ['a merchant named twice', { ...acme, MERCHANTS: 'acme,ACME' }, /merchant "ACME" is named twice/],
    [
      'one webhook secret for two merchants',
      { ...acme, MERCADOPAGO_WEBHOOK_SECRET: 'token-a', MERCHANT_ACME_MERCADOPAGO_WEBHOOK_SECRET: 'token-a' },
      /merchants "default" and "acme" have the same MERCADOPAGO_WEBHOOK_SECRET/,
    ],
    [
      "a trusted client that is not the merchant's",
      { ...acme, MERCHANT_ACME_TRUSTED_CLIENTS: 'checkout' },
      /MERCHANT_ACME_TRUSTED_CLIENTS is invalid: "checkout" \(a client of merchant "default"\) not in MERCHANT_ACME_API_TOKENS/,
    ],
    ['a merchant name that cannot be part of a variable name', { MERCHANTS: 'acme-2' }, /MERCHANTS is invalid/],
  ])('refuses %s, by name', (_case, variables, message) => {
    const attempt = () => loadApiConfig({ ...first, ...variables });

    expect(attempt).toThrow(message);
    expect(attempt).not.toThrow(/token-[abc]/);
  });
});

describe('loadApiConfig client-keyed settings and the metrics token', () => {
  const SHOP_SECRET = 'shop-callback-secret-0123456789abcdef';
  const first = { UPSTREAM_ACCESS_TOKEN: 'APP_USR-first', API_TOKENS: 'checkout:token-a' };
  const acme = {
    MERCHANTS: 'acme',
    MERCHANT_ACME_TEMPORAL_NAMESPACE: 'acme-payments',
    MERCHANT_ACME_UPSTREAM_ACCESS_TOKEN: 'APP_USR-acme',
    MERCHANT_ACME_API_TOKENS: 'acme-shop:token-c',
  };

  it("refuses callbacks for a client the merchant does not have (a typo, another merchant's client), listing every problem at once", () => {
    const problems = problemsOf({
      ...first,
      ...acme,
      CLIENT_CALLBACK_URLS: 'chekout=https://shop.example/hook',
      CLIENT_CALLBACK_SECRETS: `chekout=${SHOP_SECRET}`,
      MERCHANT_ACME_CLIENT_CALLBACK_URLS: 'checkout=https://acme.example/hook',
      MERCHANT_ACME_CLIENT_CALLBACK_SECRETS: `checkout=${SHOP_SECRET.toUpperCase()}`,
      METRICS_TOKEN: 'token-c',
    });

    expect(problems).toEqual([
      'CLIENT_CALLBACK_URLS is invalid: "chekout" not in API_TOKENS',
      'CLIENT_CALLBACK_SECRETS is invalid: "chekout" not in API_TOKENS',
      'MERCHANT_ACME_CLIENT_CALLBACK_URLS is invalid: "checkout" (a client of merchant "default") not in MERCHANT_ACME_API_TOKENS',
      'MERCHANT_ACME_CLIENT_CALLBACK_SECRETS is invalid: "checkout" (a client of merchant "default") not in MERCHANT_ACME_API_TOKENS',
      "METRICS_TOKEN is invalid: it is also a checkout client's token; give the metrics scraper a token of its own",
    ]);
    expect(problems.join('\n')).not.toMatch(/token-c|shop-callback-secret/i);
  });

  it("accepts callbacks for the merchant's own clients", () => {
    const { merchants } = loadApiConfig({ ...first, CLIENT_CALLBACK_URLS: 'checkout=https://shop.example/hook', CLIENT_CALLBACK_SECRETS: `checkout=${SHOP_SECRET}` });
    expect([...merchants[0]!.callbacks.keys()]).toEqual(['checkout']);
  });

  it("refuses a METRICS_TOKEN that is an operator's token", () => {
    const operator = 'operator-secret-of-thirty-two-chars';
    expect(problemsOf({ ...first, OPERATOR_TOKENS: `alice:${operator}`, CODEC_SESSION_SECRET: 'session-secret-of-thirty-two-characters', METRICS_TOKEN: operator })).toEqual([
      "METRICS_TOKEN is invalid: it is also an operator's token; give the metrics scraper a token of its own",
    ]);
  });
});

describe('loadApiConfig with NODE_ENV=production', () => {
  const long = (name: string) => `${name}-0123456789abcdef0123456789abcdef`;
  const deployment = {
    NODE_ENV: 'production',
    UPSTREAM_ACCESS_TOKEN: 'APP_USR-own-merchant-token',
    UPSTREAM_BASE_URL: 'https://api.mercadopago.com',
    PAYLOAD_ENCRYPTION_KEYS: `own:${Buffer.alloc(32, 7).toString('base64')}`,
    API_TOKENS: `checkout:${long('checkout')}`,
    METRICS_TOKEN: long('metrics'),
    MERCADOPAGO_WEBHOOK_SECRET: long('webhook'),
  };

  it('starts with payload encryption, its own upstream and a metrics token', () => {
    expect(loadApiConfig(deployment).UPSTREAM_BASE_URL).toBe('https://api.mercadopago.com');
  });

  it('refuses to start without payload encryption, UPSTREAM_BASE_URL or METRICS_TOKEN, naming each with the others', () => {
    const problems = problemsOf({ ...deployment, PAYLOAD_ENCRYPTION_KEYS: '', UPSTREAM_BASE_URL: undefined, METRICS_TOKEN: undefined, PORT: 'eighty' });

    expect(problems.map((problem) => problem.split(':')[0])).toEqual([
      'PAYLOAD_ENCRYPTION_KEYS is required with NODE_ENV=production',
      'UPSTREAM_BASE_URL is required with NODE_ENV=production',
      'METRICS_TOKEN is required with NODE_ENV=production',
      'PORT is invalid',
    ]);
    // Elsewhere (npm start, the tests) all three keep their defaults.
    expect(() => loadApiConfig({ ...deployment, NODE_ENV: 'development', PAYLOAD_ENCRYPTION_KEYS: '', UPSTREAM_BASE_URL: undefined, METRICS_TOKEN: undefined })).not.toThrow();
  });

  it.each(['http://api.mercadopago.com', 'http://10.0.0.5:4010'])('refuses plain http to another host for the upstream: %s', (url) => {
    expect(problemsOf({ ...deployment, UPSTREAM_BASE_URL: url })).toEqual([
      'UPSTREAM_BASE_URL is invalid: plain http to another host, which NODE_ENV=production refuses; use https (https://api.mercadopago.com)',
    ]);
  });

  it.each(['http://127.0.0.1:4010', 'http://localhost:4010', 'http://[::1]:4010'])('accepts plain http on this host for the upstream: %s', (url) => {
    expect(loadApiConfig({ ...deployment, UPSTREAM_BASE_URL: url }).UPSTREAM_BASE_URL).toBe(url);
  });

  it('refuses client tokens, the metrics token and the webhook secret shorter than 32 characters, naming holders and never values', () => {
    const problems = problemsOf({
      ...deployment,
      API_TOKENS: `checkout:${long('checkout')},office:short-office-token`,
      METRICS_TOKEN: 'short-metrics-token',
      MERCADOPAGO_WEBHOOK_SECRET: 'short-webhook-secret',
    });

    expect(problems).toEqual([
      'API_TOKENS is invalid: the token of "office" has 18 characters; at least 32 characters with NODE_ENV=production (e.g. openssl rand -base64 24)',
      'MERCADOPAGO_WEBHOOK_SECRET is invalid: it has 20 characters; at least 32 characters with NODE_ENV=production (e.g. openssl rand -base64 24)',
      'METRICS_TOKEN is invalid: it has 19 characters; at least 32 characters with NODE_ENV=production (e.g. openssl rand -base64 24)',
    ]);
    expect(problems.join('\n')).not.toContain('short-');
    // Outside production the local stack's short tokens still start (.env.example, the tests' fixtures).
    expect(() => loadApiConfig({ ...deployment, NODE_ENV: undefined, API_TOKENS: 'checkout:short-office-token', METRICS_TOKEN: 'short-metrics-token' })).not.toThrow();
  });
});

describe("loadApiConfig and the local stack's codec shortcut (CODEC_LOCAL_NO_SIGN_IN)", () => {
  // The local stack's settings, as `npm start` reads them.
  const local = parseEnv(readFileSync(join(repoRoot, '.env.example'), 'utf8'));
  const shortcutProblems = (environment: NodeJS.ProcessEnv) => problemsOf(environment).filter((problem) => problem.startsWith('CODEC_LOCAL_NO_SIGN_IN=true'));

  it('is on for the local stack: loopback, the published keys, not production', () => {
    expect(local.CODEC_LOCAL_NO_SIGN_IN).toBe('true');
    expect(loadApiConfig(local).CODEC_LOCAL_NO_SIGN_IN).toBe(true);
    expect(loadApiConfig({ ...local, HOST: '::1' }).CODEC_LOCAL_NO_SIGN_IN).toBe(true);
  });

  it('is refused with NODE_ENV=production, listed with the published secrets it also refuses', () => {
    const problems = problemsOf({ ...local, NODE_ENV: 'production' });

    expect(problems).toContain("CODEC_LOCAL_NO_SIGN_IN=true (the local stack's codec without sign-in) is refused with NODE_ENV=production: operators sign in at /codec/login; unset it");
    expect(problems.some((problem) => problem.startsWith('PAYLOAD_ENCRYPTION_KEYS is invalid: it holds a value published in .env.example'))).toBe(true);
  });

  it('is refused on a HOST other machines reach, with keys of a deployment, or without the codec server', () => {
    expect(shortcutProblems({ ...local, HOST: '0.0.0.0' })).toEqual([
      "CODEC_LOCAL_NO_SIGN_IN=true (the local stack's codec without sign-in) is refused with HOST=0.0.0.0: only a loopback HOST (127.0.0.1, ::1, localhost) keeps other machines from decrypting without signing in",
    ]);
    const ownKeys = `own:${Buffer.alloc(32, 7).toString('base64')}`;
    for (const keys of [ownKeys, `${local.PAYLOAD_ENCRYPTION_KEYS},${ownKeys}`, '']) {
      expect(shortcutProblems({ ...local, PAYLOAD_ENCRYPTION_KEYS: keys, PAYLOAD_ENCRYPTION_KEY_ID: keys === '' ? '' : local.PAYLOAD_ENCRYPTION_KEY_ID })).toEqual([
        "CODEC_LOCAL_NO_SIGN_IN=true (the local stack's codec without sign-in) is refused unless PAYLOAD_ENCRYPTION_KEYS holds only .env.example's published keys: payloads under keys of your own are read after signing in",
      ]);
    }
    expect(shortcutProblems({ ...local, OPERATOR_TOKENS: '', CODEC_SESSION_SECRET: '' })).toEqual([
      "CODEC_LOCAL_NO_SIGN_IN=true (the local stack's codec without sign-in) is refused without OPERATOR_TOKENS, which turns the codec server on",
    ]);
  });

  it('is off unless set: a deployment keeps the sign-in', () => {
    expect(loadApiConfig({ ...local, CODEC_LOCAL_NO_SIGN_IN: undefined }).CODEC_LOCAL_NO_SIGN_IN).toBe(false);
    expect(problemsOf({ ...local, CODEC_LOCAL_NO_SIGN_IN: 'yes' })).toEqual(['CODEC_LOCAL_NO_SIGN_IN is invalid: Invalid option: expected one of "true"|"false"']);
  });
});
