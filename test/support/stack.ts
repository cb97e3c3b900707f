import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { payloadCodecs, type EncryptionKeys } from '@app/encryption';
import { freePort, freePorts } from '../../scripts/lib/free-port';
import { repoRoot } from '../../scripts/lib/paths';
import type { Supervised } from '../../scripts/lib/processes';
import { encryptionKeysVariable, LOOPBACK, privateEnvironment } from '../../scripts/lib/stack/private-environment';
import { httpUrl } from '../../scripts/lib/stack/stack-addresses';
import { Stack } from '../../scripts/lib/stack/stack';
import { SECOND_MERCHANT } from './second-merchant';

export { SECOND_MERCHANT };
export const UPSTREAM_TOKEN = 'APP_USR-e2e-merchant-token';
const LOG_DIR = join(repoRoot, 'artifacts/e2e');
/** The end-to-end stack encrypts payloads, as every deployment should. */
const ENCRYPTION_KEY = Buffer.alloc(32, 7);
export const PAYLOAD_ENCRYPTION_KEY_ID = 'e2e-key';
const encryption: EncryptionKeys = { activeKeyId: PAYLOAD_ENCRYPTION_KEY_ID, keys: new Map([[PAYLOAD_ENCRYPTION_KEY_ID, ENCRYPTION_KEY]]) };
export const PAYLOAD_ENCRYPTION_KEYS = encryptionKeysVariable(encryption);
/** The first merchant's clients: `backoffice` is trusted with all of its orders. */
export const CLIENT_TOKENS = { checkout: 'e2e-checkout-token', marketplace: 'e2e-marketplace-token', backoffice: 'e2e-backoffice-token' } as const;
/** The codec server's only operator; a checkout client's token never decrypts. */
export const OPERATOR_TOKEN = 'e2e-operator-token-long-enough-to-pass';
export const CODEC_SESSION_SECRET = 'e2e-codec-session-secret-of-32-characters-or-more';
/** The first merchant's Mercado Pago notification secret; the second merchant has its own. */
export const WEBHOOK_SECRET = 'e2e-default-merchant-webhook-secret';
/** Short timeouts and retries, so that tests of failures take seconds; a long wait, so a slow machine still answers. */
const ORCHESTRATOR_SETTINGS = {
  WAIT_FOR_RESULT_MS: '15000',
  UPSTREAM_TIMEOUT_MS: '2000',
  UPSTREAM_RETRY_INITIAL_MS: '100',
  UPSTREAM_RETRY_MAX_INTERVAL_MS: '1000',
  UPSTREAM_RETRY_BUDGET_MS: '60000',
};

export interface StackOptions {
  /** Overrides of the API's environment (WAIT_FOR_RESULT_MS, retry settings, TEMPORAL_ADDRESS …). */
  api?: NodeJS.ProcessEnv;
  /** Additions to the worker's environment (OTEL_EXPORTER_OTLP_ENDPOINT …). */
  worker?: NodeJS.ProcessEnv;
  /** A Temporal server of the test's own (e.g. one with the Web UI) instead of the suite's. */
  temporalAddress?: string;
  /** The API's operator port, when something started before the stack must know it (a Web UI's codec endpoint). */
  operatorPort?: number;
  /** The simulator's port, when a test needs a particular one (a free one by default). */
  simulatorPort?: number;
  /**
   * The simulator notifies both merchants' order changes to the stack's webhook, signed with their
   * secrets, and settles CONT orders after `pendingSettleMs` (0: only through its settle control).
   * Off by default, so other tests see no notification traffic.
   */
  notifications?: { pendingSettleMs: number };
}

/**
 * The real apps, started from the build exactly as `npm run start:*` starts them, on free loopback
 * ports and a task queue of their own, against the suite's Temporal dev server.
 */
export class TestStack {
  /** The checkout port: the payment API, its documents and health probes. */
  readonly apiUrl: string;
  /** The operator port: the codec server and /metrics. */
  readonly operatorUrl: string;
  readonly simulatorUrl: string;
  readonly workerHealthUrl: string;

  private constructor(
    private readonly stack: Stack,
    readonly temporal: Client,
    readonly taskQueue: string,
  ) {
    const { host, apiPort, operatorPort, simulatorPort, workerHealthPort } = stack.addresses;
    this.apiUrl = httpUrl(host, apiPort);
    this.operatorUrl = httpUrl(host, operatorPort);
    this.simulatorUrl = httpUrl(host, simulatorPort);
    this.workerHealthUrl = httpUrl(host, workerHealthPort);
  }

  static async start(options: StackOptions = {}): Promise<TestStack> {
    const temporalAddress = options.temporalAddress ?? process.env.TEST_TEMPORAL_ADDRESS;
    if (temporalAddress === undefined) throw new Error('TEST_TEMPORAL_ADDRESS is unset: run through the e2e jest project');
    const ports = await freePorts('api', 'operator', 'simulator', 'workerHealth');
    const taskQueue = `e2e-${randomUUID()}`;
    const environment = privateEnvironment({
      ports: { ...ports, operator: options.operatorPort ?? ports.operator, simulator: options.simulatorPort ?? ports.simulator },
      temporalAddress,
      taskQueue,
      merchants: [
        { name: 'default', upstreamToken: UPSTREAM_TOKEN, namespace: 'default', clientTokens: CLIENT_TOKENS, trustedClients: ['backoffice'], webhookSecret: WEBHOOK_SECRET },
        SECOND_MERCHANT,
      ],
      encryption,
      operators: { tokens: { operator: OPERATOR_TOKEN }, sessionSecret: CODEC_SESSION_SECRET },
      settings: ORCHESTRATOR_SETTINGS,
    });
    const stack = await Stack.start({
      environment,
      apps: {
        api: options.api,
        worker: options.worker,
        simulator: options.notifications === undefined ? undefined : notifyingSimulator(ports.api, options.notifications.pendingSettleMs),
      },
      temporal: null,
      // Away from the repository, so a developer's .env cannot leak into the tests.
      cwd: tmpdir(),
      // Always kept (tests read the API's route table from it); E2E_VERBOSE=1 also shows it.
      liveOutput: process.env.E2E_VERBOSE !== undefined,
      keptLines: Infinity,
      ownProcessGroups: false,
    });
    const connection = await Connection.connect({ address: temporalAddress });
    return new TestStack(stack, new Client({ connection, dataConverter: { payloadCodecs: payloadCodecs(encryption) } }), taskQueue);
  }

  /** A client of the suite's Temporal in another namespace (the second merchant's), with the stack's keys. */
  temporalIn(namespace: string): Client {
    return new Client({ connection: this.temporal.connection, namespace, dataConverter: { payloadCodecs: payloadCodecs(encryption) } });
  }

  /** Every line the stack's processes printed, each prefixed with its name (`[api] …`). */
  get output(): readonly string[] {
    return this.stack.recentOutput();
  }

  /**
   * Another API process on `port`, beside the stack's own: each has its own answer memory and
   * they share Temporal, as several replicas behind a load balancer do. Its operator port is
   * `operatorPort`, or any free one.
   */
  async startApi(port: number, overrides: NodeJS.ProcessEnv = {}, operatorPort?: number): Promise<{ url: string; process: Supervised }> {
    const operator = operatorPort ?? (await freePort());
    const api = await this.stack.startApp(`api-${port}`, 'api', { PORT: String(port), OPERATOR_PORT: String(operator), ...overrides });
    return { url: httpUrl(LOOPBACK, port), process: api };
  }

  /** The process id of one of the stack's processes: a Temporal worker's default identity is `<pid>@<host>`. */
  pid(name: 'api' | 'worker'): number {
    const pid = this.stack.pid(name);
    if (pid === undefined) throw new Error(`the stack's ${name} has no process id`);
    return pid;
  }

  /**
   * kill -9 of each (together; no graceful shutdown: in-flight tasks are simply lost), then each
   * again on the same ports, awaited until it listens, so a process that cannot start fails the
   * test by name.
   */
  async crashAndRestart(...names: ReadonlyArray<'api' | 'worker'>): Promise<void> {
    await Promise.all(names.map((name) => this.stack.kill(name)));
    for (const name of names) await this.stack.restart(name);
  }

  async stop(): Promise<void> {
    await this.stack.stop(5_000);
    await this.temporal.connection.close();
    // Kept for diagnosis when a test fails; artifacts/ is git-ignored.
    mkdirSync(LOG_DIR, { recursive: true });
    writeFileSync(join(LOG_DIR, `${this.taskQueue}.log`), `${this.output.join('\n')}\n`);
  }
}

/** The simulator's variables for notifying the stack's API, as Mercado Pago notifies a merchant's webhook. */
function notifyingSimulator(apiPort: number, pendingSettleMs: number): NodeJS.ProcessEnv {
  return {
    SIMULATOR_NOTIFICATION_URL: `${httpUrl(LOOPBACK, apiPort)}/webhooks/mercadopago`,
    SIMULATOR_WEBHOOK_SECRETS: `${UPSTREAM_TOKEN}=${WEBHOOK_SECRET},${SECOND_MERCHANT.upstreamToken}=${SECOND_MERCHANT.webhookSecret}`,
    SIMULATOR_PENDING_SETTLE_MS: String(pendingSettleMs),
  };
}
