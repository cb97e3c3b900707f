import { ConfigError } from '@app/config';
import { loadApiConfig, operatorCredentials } from './api-config';

const OPERATOR_SECRET = 'operator-secret-of-thirty-two-chars';
const SESSION_SECRET = 'session-secret-of-thirty-two-characters';
/** Long enough to pass as an operator token, so only the sharing is wrong. */
const CLIENT_SECRET = 'client-secret-long-enough-for-an-operator';

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

  it('takes local or regular attempts and names anything else', () => {
    const base = { UPSTREAM_ACCESS_TOKEN: 'APP_USR-merchant', API_TOKENS: 'checkout:secret-1' };

    expect(loadApiConfig({ ...base, UPSTREAM_ATTEMPT_ACTIVITY: 'local' }).UPSTREAM_ATTEMPT_ACTIVITY).toBe('local');
    expect(() => loadApiConfig({ ...base, UPSTREAM_ATTEMPT_ACTIVITY: 'eager' })).toThrow(/UPSTREAM_ATTEMPT_ACTIVITY is invalid/);
  });

  it('requires API_TOKENS and treats an empty value as unset', () => {
    expect(() => loadApiConfig({ UPSTREAM_ACCESS_TOKEN: 'APP_USR-merchant', API_TOKENS: '' })).toThrow(/API_TOKENS is required/);
  });

  it('reads operator tokens, their session secret and Web UI origins, and keeps the codec off without operators', () => {
    const base = { UPSTREAM_ACCESS_TOKEN: 'APP_USR-merchant', API_TOKENS: 'checkout:client-secret' };

    const config = loadApiConfig({ ...base, OPERATOR_TOKENS: `alice:${OPERATOR_SECRET}`, CODEC_SESSION_SECRET: SESSION_SECRET, CODEC_ALLOWED_ORIGINS: 'http://127.0.0.1:8233, https://ui.example' });

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
    ['OPERATOR_TOKENS', `alice:${CLIENT_SECRET}`, /OPERATOR_TOKENS is invalid: an operator token is also in API_TOKENS/],
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
