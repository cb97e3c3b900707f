import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { payloadCodecs, type EncryptionKeys } from '@app/encryption';
import { appEntryPoints, repoRoot } from '../../scripts/lib/paths';
import { spawnPrefixed, stopGracefully, waitForPort, type Supervised } from '../../scripts/lib/processes';
import { freePort } from '../../scripts/lib/free-port';
import { SECOND_MERCHANT } from './second-merchant';

export { SECOND_MERCHANT };
export const UPSTREAM_TOKEN = 'APP_USR-e2e-merchant-token';
const LOG_DIR = join(repoRoot, 'artifacts/e2e');
/** The end-to-end stack encrypts payloads, as every deployment should. */
const ENCRYPTION_KEY = Buffer.alloc(32, 7);
export const PAYLOAD_ENCRYPTION_KEY_ID = 'e2e-key';
export const PAYLOAD_ENCRYPTION_KEYS = `${PAYLOAD_ENCRYPTION_KEY_ID}:${ENCRYPTION_KEY.toString('base64')}`;
const encryption: EncryptionKeys = { activeKeyId: PAYLOAD_ENCRYPTION_KEY_ID, keys: new Map([[PAYLOAD_ENCRYPTION_KEY_ID, ENCRYPTION_KEY]]) };
/** The first merchant's clients: `backoffice` is trusted with all of its orders. */
export const CLIENT_TOKENS = { checkout: 'e2e-checkout-token', marketplace: 'e2e-marketplace-token', backoffice: 'e2e-backoffice-token' } as const;
/** What both the API and the worker read about the second merchant. */
const SECOND_MERCHANT_ACCOUNT: NodeJS.ProcessEnv = {
  MERCHANTS: SECOND_MERCHANT.name,
  MERCHANT_SECOND_TEMPORAL_NAMESPACE: SECOND_MERCHANT.namespace,
  MERCHANT_SECOND_UPSTREAM_ACCESS_TOKEN: SECOND_MERCHANT.upstreamToken,
};
/** The codec server's only operator; a checkout client's token never decrypts. */
export const OPERATOR_TOKEN = 'e2e-operator-token-long-enough-to-pass';
export const CODEC_SESSION_SECRET = 'e2e-codec-session-secret-of-32-characters-or-more';

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
}

/**
 * The real apps, started from the build exactly as `npm run start:*` starts them, on free loopback
 * ports and a task queue of their own, against the suite's Temporal dev server.
 */
export class TestStack {
  readonly output: string[] = [];
  readonly taskQueue = `e2e-${randomUUID()}`;
  private worker: Supervised | null = null;
  private readonly processes: Supervised[] = [];

  private constructor(
    /** The checkout port: the payment API, its documents and health probes. */
    readonly apiUrl: string,
    /** The operator port: the codec server and /metrics. */
    readonly operatorUrl: string,
    readonly simulatorUrl: string,
    readonly workerHealthUrl: string,
    readonly temporal: Client,
    private readonly baseEnv: NodeJS.ProcessEnv,
    private readonly workerEnv: NodeJS.ProcessEnv,
  ) {}

  static async start(options: StackOptions = {}): Promise<TestStack> {
    const temporalAddress = options.temporalAddress ?? process.env.TEST_TEMPORAL_ADDRESS;
    if (temporalAddress === undefined) throw new Error('TEST_TEMPORAL_ADDRESS is unset: run through the e2e jest project');
    const [apiPort, operatorPort, simulatorPort, workerHealthPort] = [
      await freePort(),
      options.operatorPort ?? (await freePort()),
      options.simulatorPort ?? (await freePort()),
      await freePort(),
    ];
    const connection = await Connection.connect({ address: temporalAddress });
    const baseEnv: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOST: '127.0.0.1',
      TEMPORAL_ADDRESS: temporalAddress,
      TEMPORAL_NAMESPACE: 'default',
      WORKFLOW_BUNDLE_PATH: join(repoRoot, 'dist/workflow-bundle.js'),
      PAYLOAD_ENCRYPTION_KEYS,
      PAYLOAD_ENCRYPTION_KEY_ID,
      ...SECOND_MERCHANT_ACCOUNT,
    };
    const stack = new TestStack(
      `http://127.0.0.1:${apiPort}`,
      `http://127.0.0.1:${operatorPort}`,
      `http://127.0.0.1:${simulatorPort}`,
      `http://127.0.0.1:${workerHealthPort}`,
      new Client({ connection, dataConverter: { payloadCodecs: payloadCodecs(encryption) } }),
      baseEnv,
      options.worker ?? {},
    );
    baseEnv.TEMPORAL_TASK_QUEUE = stack.taskQueue;

    const simulator = stack.spawn('simulator', appEntryPoints.simulator, {
      SIMULATOR_PORT: String(simulatorPort),
      SIMULATOR_ACCESS_TOKENS: `${UPSTREAM_TOKEN},${SECOND_MERCHANT.upstreamToken}`,
    });
    await waitForPort('127.0.0.1', simulatorPort, 30_000, simulator);
    const worker = stack.startWorker();
    await waitForPort('127.0.0.1', workerHealthPort, 30_000, worker);
    await stack.startApi(apiPort, options.api, operatorPort);
    return stack;
  }

  /** A client of the suite's Temporal in another namespace (the second merchant's), with the stack's keys. */
  temporalIn(namespace: string): Client {
    return new Client({ connection: this.temporal.connection, namespace, dataConverter: { payloadCodecs: payloadCodecs(encryption) } });
  }

  /**
   * An API process on `port` (the stack's own, or another instance beside it: each has its own
   * answer memory and they share Temporal, as several replicas behind a load balancer do). Its
   * operator port is `operatorPort`, or any free one.
   */
  async startApi(port: number, overrides: NodeJS.ProcessEnv = {}, operatorPort?: number): Promise<{ url: string; process: Supervised }> {
    const operator = operatorPort ?? (await freePort());
    const api = this.spawn('api', appEntryPoints.api, {
      PORT: String(port),
      OPERATOR_PORT: String(operator),
      API_TOKENS: Object.entries(CLIENT_TOKENS)
        .map(([client, token]) => `${client}:${token}`)
        .join(','),
      TRUSTED_CLIENTS: 'backoffice',
      MERCHANT_SECOND_API_TOKENS: `shop:${SECOND_MERCHANT.clientTokens.shop}`,
      UPSTREAM_BASE_URL: this.simulatorUrl,
      UPSTREAM_ACCESS_TOKEN: UPSTREAM_TOKEN,
      WAIT_FOR_RESULT_MS: '15000',
      UPSTREAM_TIMEOUT_MS: '2000',
      UPSTREAM_RETRY_INITIAL_MS: '100',
      UPSTREAM_RETRY_MAX_INTERVAL_MS: '1000',
      UPSTREAM_RETRY_BUDGET_MS: '60000',
      OPERATOR_TOKENS: `operator:${OPERATOR_TOKEN}`,
      CODEC_SESSION_SECRET,
      ...overrides,
    });
    await waitForPort('127.0.0.1', port, 30_000, api);
    // The API listens on the checkout port first, so the operator port may follow a moment later.
    await waitForPort('127.0.0.1', operator, 30_000, api);
    return { url: `http://127.0.0.1:${port}`, process: api };
  }

  private startWorker(): Supervised {
    this.worker = this.spawn('worker', appEntryPoints.worker, {
      UPSTREAM_BASE_URL: this.simulatorUrl,
      UPSTREAM_ACCESS_TOKEN: UPSTREAM_TOKEN,
      WORKER_HEALTH_PORT: new URL(this.workerHealthUrl).port,
      ...this.workerEnv,
    });
    return this.worker;
  }

  /**
   * kill -9 (no graceful shutdown: in-flight tasks are simply lost), then a new worker, awaited
   * until it serves its health port, so a worker that cannot start fails the test by name.
   */
  async crashAndRestartWorker(): Promise<void> {
    if (this.worker !== null) {
      this.worker.child.kill('SIGKILL');
      await this.worker.exited;
    }
    const worker = this.startWorker();
    await waitForPort('127.0.0.1', Number(new URL(this.workerHealthUrl).port), 30_000, worker);
  }

  async stop(): Promise<void> {
    await Promise.all(this.processes.map((process) => stopGracefully(process, 5_000)));
    await this.temporal.connection.close();
    // Kept for diagnosis when a test fails; artifacts/ is git-ignored.
    mkdirSync(LOG_DIR, { recursive: true });
    writeFileSync(join(LOG_DIR, `${this.taskQueue}.log`), `${this.output.join('\n')}\n`);
  }

  private spawn(name: string, entryPoint: string, env: NodeJS.ProcessEnv): Supervised {
    const supervised = spawnPrefixed(name, process.execPath, [entryPoint], {
      env: { ...this.baseEnv, ...env },
      // Away from the repository, so a developer's .env cannot leak into the tests.
      cwd: tmpdir(),
      // Always kept in `output` (tests read the API's route table from it); E2E_VERBOSE=1 also shows them.
      output: (line) => {
        this.output.push(line);
        if (process.env.E2E_VERBOSE !== undefined) process.stdout.write(`${line}\n`);
      },
    });
    this.processes.push(supervised);
    return supervised;
  }
}
