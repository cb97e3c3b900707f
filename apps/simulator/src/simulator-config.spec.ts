import { ConfigError } from '@app/config';
import { loadSimulatorConfig } from './simulator-config';

const TOKENS = 'APP_USR-shop-a,APP_USR-shop-b';

/** The problems a failed load reports, or [] when it loads. */
function problemsOf(environment: NodeJS.ProcessEnv): string[] {
  try {
    loadSimulatorConfig(environment);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return [...error.problems];
    throw error;
  }
}

describe('simulator notification settings', () => {
  it('default to no URL, no secrets and a 5 s pending-settle delay', () => {
    expect(loadSimulatorConfig({})).toMatchObject({ SIMULATOR_WEBHOOK_SECRETS: {}, SIMULATOR_PENDING_SETTLE_MS: 5000 });
    expect(loadSimulatorConfig({}).SIMULATOR_NOTIFICATION_URL).toBeUndefined();
  });

  it('read the URL, the pending-settle delay, and one secret per access token split at the first =', () => {
    const config = loadSimulatorConfig({
      SIMULATOR_ACCESS_TOKENS: TOKENS,
      SIMULATOR_NOTIFICATION_URL: 'http://127.0.0.1:3000/webhooks/mercadopago',
      SIMULATOR_WEBHOOK_SECRETS: ' APP_USR-shop-a=s3cr=t , APP_USR-shop-b=other ',
      SIMULATOR_PENDING_SETTLE_MS: '0',
    });
    expect(config).toMatchObject({
      SIMULATOR_NOTIFICATION_URL: 'http://127.0.0.1:3000/webhooks/mercadopago',
      SIMULATOR_WEBHOOK_SECRETS: { 'APP_USR-shop-a': 's3cr=t', 'APP_USR-shop-b': 'other' },
      SIMULATOR_PENDING_SETTLE_MS: 0,
    });
  });

  it.each([
    ['SIMULATOR_NOTIFICATION_URL', 'ftp://127.0.0.1/hook'],
    ['SIMULATOR_NOTIFICATION_URL', 'not a url'],
    ['SIMULATOR_PENDING_SETTLE_MS', '-1'],
    ['SIMULATOR_PENDING_SETTLE_MS', 'soon'],
    ['SIMULATOR_PENDING_SETTLE_MS', '86400001'],
    ['SIMULATOR_WEBHOOK_SECRETS', 'APP_USR-shop-a'],
    ['SIMULATOR_WEBHOOK_SECRETS', 'APP_USR-shop-a='],
    ['SIMULATOR_WEBHOOK_SECRETS', '=secret'],
    ['SIMULATOR_WEBHOOK_SECRETS', 'APP_USR-shop-a=one,APP_USR-shop-a=two'],
    ['SIMULATOR_WEBHOOK_SECRETS', ' , '],
  ])('refuse %s=%j, naming the variable', (name, value) => {
    const problems = problemsOf({ SIMULATOR_ACCESS_TOKENS: TOKENS, [name]: value });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(new RegExp(`^${name} is invalid`));
  });

  it('refuse a secret for a token the simulator does not accept, without echoing the secret', () => {
    const problems = problemsOf({ SIMULATOR_ACCESS_TOKENS: TOKENS, SIMULATOR_WEBHOOK_SECRETS: 'APP_USR-typo=hush' });
    expect(problems).toEqual([expect.stringMatching(/^SIMULATOR_WEBHOOK_SECRETS is invalid: 1 of its access tokens are not in SIMULATOR_ACCESS_TOKENS/)]);
    expect(problems.join()).not.toContain('hush');
  });
});
