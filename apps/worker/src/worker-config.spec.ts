import { workerDeploymentOptions } from '@app/config';
import { loadWorkerConfig } from './worker-config';

describe('loadWorkerConfig tuning', () => {
  const required = { UPSTREAM_ACCESS_TOKEN: 'APP_USR-merchant' };

  it("leaves pollers and cache to the SDK unless set, and moves a dead worker's runs after 2 s", () => {
    const config = loadWorkerConfig(required);

    expect(config.WORKER_STICKY_QUEUE_TIMEOUT_MS).toBe(2_000);
    expect(config.WORKER_WORKFLOW_TASK_POLLERS).toBeUndefined();
    expect(config.WORKER_ACTIVITY_TASK_POLLERS).toBeUndefined();
    expect(config.WORKER_MAX_CACHED_WORKFLOWS).toBeUndefined();
  });

  it('reads set values and names a value that is not a positive whole number', () => {
    const config = loadWorkerConfig({ ...required, WORKER_WORKFLOW_TASK_POLLERS: '4', WORKER_STICKY_QUEUE_TIMEOUT_MS: '5000' });

    expect(config).toMatchObject({ WORKER_WORKFLOW_TASK_POLLERS: 4, WORKER_STICKY_QUEUE_TIMEOUT_MS: 5_000 });
    expect(() => loadWorkerConfig({ ...required, WORKER_MAX_CACHED_WORKFLOWS: '0' })).toThrow(/WORKER_MAX_CACHED_WORKFLOWS is invalid/);
  });

  it('lets up to 16 hand-overs that meet share a signal unless CALLBACK_HAND_OVERS_PER_SIGNAL says otherwise (1: each alone), and names a count outside 1–64', () => {
    expect(loadWorkerConfig(required).CALLBACK_HAND_OVERS_PER_SIGNAL).toBe(16);
    expect(loadWorkerConfig({ ...required, CALLBACK_HAND_OVERS_PER_SIGNAL: '1' }).CALLBACK_HAND_OVERS_PER_SIGNAL).toBe(1);
    for (const value of ['0', '65', 'many']) {
      expect(() => loadWorkerConfig({ ...required, CALLBACK_HAND_OVERS_PER_SIGNAL: value })).toThrow(/CALLBACK_HAND_OVERS_PER_SIGNAL is invalid/);
    }
  });

  it('runs unversioned unless WORKER_BUILD_ID is set, and refuses names Temporal would refuse', () => {
    expect(workerDeploymentOptions(loadWorkerConfig(required))).toBeUndefined();
    expect(workerDeploymentOptions(loadWorkerConfig({ ...required, WORKER_BUILD_ID: 'v42' }))).toEqual({
      useWorkerVersioning: true,
      version: { deploymentName: 'payment-orchestrator', buildId: 'v42' },
      defaultVersioningBehavior: 'AUTO_UPGRADE',
    });
    expect(() => loadWorkerConfig({ ...required, WORKER_DEPLOYMENT_NAME: 'payments.v2' })).toThrow(/WORKER_DEPLOYMENT_NAME is invalid/);
    expect(() => loadWorkerConfig({ ...required, WORKER_BUILD_ID: '__internal' })).toThrow(/WORKER_BUILD_ID is invalid/);
    expect(() => loadWorkerConfig({ ...required, WORKER_BUILD_ID: 'has space' })).toThrow(/WORKER_BUILD_ID is invalid/);
  });
});

describe('loadWorkerConfig merchants', () => {
  it("serves the first merchant's namespace with its token, then each listed merchant's", () => {
    const { merchants } = loadWorkerConfig({
      UPSTREAM_ACCESS_TOKEN: 'APP_USR-first',
      TEMPORAL_NAMESPACE: 'payments',
      MERCHANTS: 'acme',
      MERCHANT_ACME_TEMPORAL_NAMESPACE: 'acme-payments',
      MERCHANT_ACME_UPSTREAM_ACCESS_TOKEN: 'APP_USR-acme',
    });

    expect(merchants).toEqual([
      { name: 'default', namespace: 'payments', upstreamAccessToken: 'APP_USR-first', callbacks: new Map() },
      { name: 'acme', namespace: 'acme-payments', upstreamAccessToken: 'APP_USR-acme', callbacks: new Map() },
    ]);
  });
});

describe('loadWorkerConfig with NODE_ENV=production', () => {
  const deployment = {
    NODE_ENV: 'production',
    UPSTREAM_ACCESS_TOKEN: 'APP_USR-own-merchant-token',
    UPSTREAM_BASE_URL: 'https://api.mercadopago.com',
    PAYLOAD_ENCRYPTION_KEYS: `own:${Buffer.alloc(32, 7).toString('base64')}`,
  };

  it('starts with payload encryption and an https upstream', () => {
    expect(loadWorkerConfig(deployment).PAYLOAD_ENCRYPTION_KEYS?.size).toBe(1);
  });

  it('refuses to start without payload encryption or UPSTREAM_BASE_URL, and with plain http to another host', () => {
    expect(() => loadWorkerConfig({ ...deployment, PAYLOAD_ENCRYPTION_KEYS: undefined, UPSTREAM_BASE_URL: undefined })).toThrow(
      /PAYLOAD_ENCRYPTION_KEYS is required with NODE_ENV=production: .*signed callback event.*\n.*UPSTREAM_BASE_URL is required with NODE_ENV=production/,
    );
    expect(() => loadWorkerConfig({ ...deployment, UPSTREAM_BASE_URL: 'http://simulator:4010' })).toThrow(/UPSTREAM_BASE_URL is invalid: plain http to another host/);
  });
});
