import { loadApiConfig } from '../../../apps/api/src/api-config';
import { loadSimulatorConfig } from '../../../apps/simulator/src/simulator-config';
import { loadWorkerConfig } from '../../../apps/worker/src/worker-config';
import { encryptionKeysFrom } from '../../../libs/encryption/src';
import { privateEnvironment, type PrivateStack } from './private-environment';
import { stackAddresses } from './stack-addresses';

const KEY = Buffer.alloc(32, 1);
const declared: PrivateStack = {
  ports: { api: 41001, operator: 41002, simulator: 41003, workerHealth: 41004 },
  temporalAddress: '127.0.0.1:41005',
  taskQueue: 'spec-queue',
  merchants: [
    {
      name: 'spec',
      upstreamToken: 'APP_USR-spec-merchant',
      namespace: 'spec-namespace',
      clientTokens: { checkout: 'spec-checkout', marketplace: 'spec-marketplace' },
      trustedClients: ['marketplace'],
    },
    { name: 'other', upstreamToken: 'APP_USR-spec-other', namespace: 'spec-other-namespace', clientTokens: { shop: 'spec-shop' }, webhookSecret: 'spec-other-webhook-secret' },
  ],
  encryption: { activeKeyId: 'spec-key', keys: new Map([['spec-key', KEY]]) },
  operators: { tokens: { operator: 'spec-operator-token-of-32-characters-at-least' }, sessionSecret: 'spec-session-secret-of-32-characters-at-least' },
  settings: { WAIT_FOR_RESULT_MS: '1234' },
};

/** The apps' own loaders read the environment, so what is checked is what each app would run with. */
describe('privateEnvironment', () => {
  const environment = privateEnvironment(declared);

  it("gives the API the stack's ports, Temporal, merchant, clients, keys, operators and settings", () => {
    const api = loadApiConfig(environment);
    expect([api.HOST, api.PORT, api.OPERATOR_PORT]).toEqual(['127.0.0.1', 41001, 41002]);
    expect([api.TEMPORAL_ADDRESS, api.TEMPORAL_NAMESPACE, api.TEMPORAL_TASK_QUEUE]).toEqual(['127.0.0.1:41005', 'spec-namespace', 'spec-queue']);
    expect([api.UPSTREAM_BASE_URL, api.UPSTREAM_ACCESS_TOKEN]).toEqual(['http://127.0.0.1:41003', 'APP_USR-spec-merchant']);
    expect(Object.fromEntries(api.API_TOKENS)).toEqual(declared.merchants[0].clientTokens);
    expect(
      api.merchants.map(({ name, namespace, upstreamAccessToken, clients, trustedClients, webhookSecret }) => ({
        name,
        namespace,
        upstreamAccessToken,
        clients: Object.fromEntries(clients),
        trustedClients: [...trustedClients],
        webhookSecret,
      })),
    ).toEqual([
      {
        name: 'spec',
        namespace: 'spec-namespace',
        upstreamAccessToken: 'APP_USR-spec-merchant',
        clients: declared.merchants[0].clientTokens,
        trustedClients: ['marketplace'],
        webhookSecret: null,
      },
      {
        name: 'other',
        namespace: 'spec-other-namespace',
        upstreamAccessToken: 'APP_USR-spec-other',
        clients: { shop: 'spec-shop' },
        trustedClients: [],
        webhookSecret: 'spec-other-webhook-secret',
      },
    ]);
    expect(Object.fromEntries(api.OPERATOR_TOKENS ?? [])).toEqual(declared.operators?.tokens);
    expect(api.CODEC_SESSION_SECRET).toBe(declared.operators?.sessionSecret);
    expect(encryptionKeysFrom(api)).toEqual(declared.encryption);
    expect(api.WAIT_FOR_RESULT_MS).toBe(1234);
  });

  it('gives the worker the same Temporal, upstream and keys, and its health port', () => {
    const worker = loadWorkerConfig(environment);
    expect([worker.WORKER_HEALTH_PORT, worker.TEMPORAL_NAMESPACE, worker.TEMPORAL_TASK_QUEUE]).toEqual([41004, 'spec-namespace', 'spec-queue']);
    expect([worker.UPSTREAM_BASE_URL, worker.UPSTREAM_ACCESS_TOKEN]).toEqual(['http://127.0.0.1:41003', 'APP_USR-spec-merchant']);
    expect(encryptionKeysFrom(worker)).toEqual(declared.encryption);
    expect(worker.merchants.map(({ namespace, upstreamAccessToken }) => [namespace, upstreamAccessToken])).toEqual([
      ['spec-namespace', 'APP_USR-spec-merchant'],
      ['spec-other-namespace', 'APP_USR-spec-other'],
    ]);
  });

  it("makes the simulator accept every merchant's token on its port, each an account of its own", () => {
    const simulator = loadSimulatorConfig(environment);
    expect([simulator.SIMULATOR_PORT, simulator.SIMULATOR_ACCESS_TOKENS]).toEqual([41003, ['APP_USR-spec-merchant', 'APP_USR-spec-other']]);
  });

  it('leaves encryption and the codec server off when the stack declares none', () => {
    const api = loadApiConfig(privateEnvironment({ ...declared, encryption: null, operators: null }));
    expect(encryptionKeysFrom(api)).toBeNull();
    expect(api.OPERATOR_TOKENS).toBeUndefined();
  });

  it('is where the launcher reads the addresses it waits on', () => {
    expect(stackAddresses(environment)).toEqual({
      host: '127.0.0.1',
      apiPort: 41001,
      operatorPort: 41002,
      simulatorPort: 41003,
      workerHealthPort: 41004,
      temporal: { host: '127.0.0.1', port: 41005, address: '127.0.0.1:41005', namespace: 'spec-namespace' },
    });
  });
});
