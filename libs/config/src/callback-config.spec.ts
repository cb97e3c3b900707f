import { ConfigError, loadConfig } from './load-config';
import { CALLBACK_SECRET_MIN_LENGTH } from './callback-config';
import { loadMerchantAccounts, paymentWorkerVariables, type MerchantAccount } from './payment-worker-config';

/** The way both apps build their merchants: the unprefixed variables, then each listed merchant's. */
function merchantsOf(environment: NodeJS.ProcessEnv): MerchantAccount[] {
  return loadMerchantAccounts(loadConfig(paymentWorkerVariables, environment), environment);
}

/** The problems start-up names, or a failure when it accepted the configuration. */
function problemsOf(environment: NodeJS.ProcessEnv): string {
  try {
    merchantsOf(environment);
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error('the configuration was accepted');
}

const SHOP_SECRET = 'shop-secret-0123456789abcdef0123456789';
const OFFICE_SECRET = 'b2ZmaWNlLXNlY3JldC0wMTIzNDU2Nzg5YWJjZGVm=='; // base64: ends in '='
const ACME_SECRET = 'acme-secret-0123456789abcdef012345678';
const required = { UPSTREAM_ACCESS_TOKEN: 'APP_USR-first' };

describe('client callbacks of each merchant', () => {
  it("reads each client's URL and secret, the first merchant's unprefixed and a listed merchant's prefixed", () => {
    const merchants = merchantsOf({
      ...required,
      CLIENT_CALLBACK_URLS: 'shop=https://shop.example/hooks/payments?source=orchestrator, office=http://127.0.0.1:8080/hook',
      CLIENT_CALLBACK_SECRETS: `shop=${SHOP_SECRET},office=${OFFICE_SECRET}`,
      MERCHANTS: 'acme',
      MERCHANT_ACME_TEMPORAL_NAMESPACE: 'acme-payments',
      MERCHANT_ACME_UPSTREAM_ACCESS_TOKEN: 'APP_USR-acme',
      MERCHANT_ACME_CLIENT_CALLBACK_URLS: 'acme-shop=https://acme.example/hook',
      MERCHANT_ACME_CLIENT_CALLBACK_SECRETS: `acme-shop=${ACME_SECRET}`,
    });

    const callbacks = merchants.map(({ name, callbacks }) => [name, [...callbacks].map(([client, { url, secret }]) => [client, url.href, secret])]);
    expect(callbacks).toEqual([
      [
        'default',
        [
          ['shop', 'https://shop.example/hooks/payments?source=orchestrator', SHOP_SECRET],
          ['office', 'http://127.0.0.1:8080/hook', OFFICE_SECRET],
        ],
      ],
      ['acme', [['acme-shop', 'https://acme.example/hook', ACME_SECRET]]],
    ]);
  });

  it('takes a JSON object for a URL that holds a comma, and says so when a comma split one', () => {
    const url = 'https://shop.example/hooks?events=final,unsettled&token=receiver-own-token';
    const [merchant] = merchantsOf({ ...required, CLIENT_CALLBACK_URLS: JSON.stringify({ shop: url }), CLIENT_CALLBACK_SECRETS: JSON.stringify({ shop: SHOP_SECRET }) });
    expect(merchant!.callbacks.get('shop')).toEqual({ url: new URL(url), secret: SHOP_SECRET });

    const split = problemsOf({ ...required, CLIENT_CALLBACK_URLS: `shop=${url}`, CLIENT_CALLBACK_SECRETS: `shop=${SHOP_SECRET}` });
    expect(split).toContain(
      'CLIENT_CALLBACK_URLS is invalid: each item must be client=url, client of letters, digits, _ . -; item 2 has no "client=", so a comma may have split a url: write the list as a JSON object, {"client":"url"}',
    );
    expect(split).not.toContain('receiver-own-token');
  });

  it.each([
    [
      'not JSON',
      '{shop: "https://shop.example/hook?token=receiver-own-token"}',
      'a value starting with { must be a JSON object of client names to strings, and this one is not valid JSON',
    ],
    ['not an object of strings', '{"shop": ["https://shop.example/hook?token=receiver-own-token"]}', 'a value starting with { must be a JSON object of client names to strings'],
  ])('refuses a JSON form that is %s, without echoing it', (_case, urls, problem) => {
    const problems = problemsOf({ ...required, CLIENT_CALLBACK_URLS: urls, CLIENT_CALLBACK_SECRETS: `shop=${SHOP_SECRET}` });
    expect(problems).toContain(`CLIENT_CALLBACK_URLS is invalid: ${problem}`);
    expect(problems).not.toContain('receiver-own-token');
  });

  it('leaves every client without a callback when neither variable is set', () => {
    expect(merchantsOf(required).map(({ callbacks }) => callbacks.size)).toEqual([0]);
  });

  it("refuses a URL without a secret and a secret without a URL, naming the merchant's variable", () => {
    const problems = problemsOf({
      ...required,
      MERCHANTS: 'acme',
      MERCHANT_ACME_TEMPORAL_NAMESPACE: 'acme-payments',
      MERCHANT_ACME_UPSTREAM_ACCESS_TOKEN: 'APP_USR-acme',
      MERCHANT_ACME_CLIENT_CALLBACK_URLS: 'acme-shop=https://acme.example/hook',
      MERCHANT_ACME_CLIENT_CALLBACK_SECRETS: `acme-office=${ACME_SECRET}`,
    });

    expect(problems).toContain('MERCHANT_ACME_CLIENT_CALLBACK_SECRETS is invalid: client "acme-shop" has a callback URL but no secret');
    expect(problems).toContain('MERCHANT_ACME_CLIENT_CALLBACK_URLS is invalid: client "acme-office" has a callback secret but no URL');
    expect(problems).not.toContain(ACME_SECRET);
  });

  it.each([
    ['a URL of another scheme', 'shop=ftp://shop.example/hook', 'is not an http(s) URL'],
    ['something that is no URL', 'shop=shop.example/hook', 'is not an http(s) URL'],
    ['a URL with credentials', 'shop=https://user:hunter2-password@shop.example/hook', 'carries credentials'],
  ])('refuses %s, without echoing it', (_case, urls, problem) => {
    const problems = problemsOf({ ...required, CLIENT_CALLBACK_URLS: urls, CLIENT_CALLBACK_SECRETS: `shop=${SHOP_SECRET}` });

    expect(problems).toContain(`CLIENT_CALLBACK_URLS is invalid: the callback URL of "shop" ${problem}`);
    expect(problems).not.toContain('shop.example');
  });

  it(`refuses a secret shorter than ${CALLBACK_SECRET_MIN_LENGTH} characters, naming the client and never the secret`, () => {
    const short = 'x'.repeat(CALLBACK_SECRET_MIN_LENGTH - 1);
    const problems = problemsOf({ ...required, CLIENT_CALLBACK_URLS: 'shop=https://shop.example/hook', CLIENT_CALLBACK_SECRETS: `shop=${short}` });

    expect(problems).toContain(`CLIENT_CALLBACK_SECRETS is invalid: the callback secret of "shop" has ${CALLBACK_SECRET_MIN_LENGTH - 1} characters`);
    expect(problems).not.toContain(short);
  });

  it('refuses an item that is not client=value, and a client named twice, without echoing the items', () => {
    const noSeparator = problemsOf({ ...required, CLIENT_CALLBACK_URLS: 'shop=https://shop.example/hook', CLIENT_CALLBACK_SECRETS: SHOP_SECRET });
    expect(noSeparator).toContain('CLIENT_CALLBACK_SECRETS is invalid: each item must be client=secret');
    expect(noSeparator).not.toContain(SHOP_SECRET);

    const twice = problemsOf({ ...required, CLIENT_CALLBACK_URLS: 'shop=https://shop.example/hook', CLIENT_CALLBACK_SECRETS: `shop=${SHOP_SECRET},shop=${ACME_SECRET}` });
    expect(twice).toContain('CLIENT_CALLBACK_SECRETS is invalid: client "shop" is named twice');
    expect(twice).not.toContain(SHOP_SECRET);
    expect(twice).not.toContain(ACME_SECRET);
  });

  it('refuses two clients sharing a secret, across merchants, naming the clients and never the secret', () => {
    const problems = problemsOf({
      ...required,
      CLIENT_CALLBACK_URLS: 'shop=https://shop.example/hook',
      CLIENT_CALLBACK_SECRETS: `shop=${SHOP_SECRET}`,
      MERCHANTS: 'acme',
      MERCHANT_ACME_TEMPORAL_NAMESPACE: 'acme-payments',
      MERCHANT_ACME_UPSTREAM_ACCESS_TOKEN: 'APP_USR-acme',
      MERCHANT_ACME_CLIENT_CALLBACK_URLS: 'acme-shop=https://acme.example/hook',
      MERCHANT_ACME_CLIENT_CALLBACK_SECRETS: `acme-shop=${SHOP_SECRET}`,
    });

    expect(problems).toContain('clients "shop" and "acme-shop" share a callback secret');
    expect(problems).not.toContain(SHOP_SECRET);
  });

  describe('with NODE_ENV=production', () => {
    const production = { ...required, NODE_ENV: 'production', CLIENT_CALLBACK_SECRETS: `shop=${SHOP_SECRET}` };

    it('refuses plain http to another host', () => {
      expect(problemsOf({ ...production, CLIENT_CALLBACK_URLS: 'shop=http://shop.example/hook' })).toContain(
        'CLIENT_CALLBACK_URLS is invalid: the callback URL of "shop" is plain http to another host, which NODE_ENV=production refuses',
      );
    });

    it.each(['https://shop.example/hook', 'http://127.0.0.1:8080/hook', 'http://127.1.2.3/hook', 'http://localhost:8080/hook', 'http://[::1]:8080/hook'])('accepts %s', (url) => {
      const [merchant] = merchantsOf({ ...production, CLIENT_CALLBACK_URLS: `shop=${url}` });
      expect(merchant!.callbacks.get('shop')?.url.href).toBe(url);
    });
  });

  it('accepts plain http to another host outside production (a local receiver on another machine)', () => {
    const [merchant] = merchantsOf({ ...required, CLIENT_CALLBACK_URLS: 'shop=http://shop.example/hook', CLIENT_CALLBACK_SECRETS: `shop=${SHOP_SECRET}` });
    expect(merchant!.callbacks.get('shop')?.url.href).toBe('http://shop.example/hook');
  });
});
