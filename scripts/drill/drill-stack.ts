import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { Client, Connection } from '@temporalio/client';
import { payloadCodecs, type EncryptionKeys } from '../../libs/encryption/src';
import { freePorts } from '../lib/free-port';
import { LOOPBACK, privateEnvironment } from '../lib/stack/private-environment';
import { httpUrl } from '../lib/stack/stack-addresses';
import { Stack } from '../lib/stack/stack';
import { LAB_CLUSTER, type TemporalChoice } from '../lib/stack/temporal-choice';
import { makeCurrentVersion } from '../lib/worker-deployment';

const CLIENT_TOKEN = 'drill-client-token';
/** The drill's operator, who pauses the merchant in the long-outage drill. */
const OPERATOR_TOKEN = 'drill-operator-token-long-enough-to-pass';
const PAUSE_ATTEMPTS = 3;
const MERCHANT_TOKEN = 'APP_USR-drill-merchant-token';
export const DRILL_TASK_QUEUE = 'drill';
/**
 * On the cluster every app declares its build (docs/operations.md, "Rolling out a new build"), as
 * a deployment that rolls out does; the rollout drill moves them from the first to the second.
 */
export const DRILL_DEPLOYMENT = 'drill';
export const FIRST_BUILD = 'build-1';
/** The processes the cluster's stack runs and the rollout drill replaces, with what each adds to the stack's environment. */
type Instances = ReadonlyMap<string, { app: 'api' | 'worker'; additions: NodeJS.ProcessEnv }>;
/** Lines of app output kept to explain a failure. */
const KEPT_OUTPUT_LINES = 200;

/** The processes a drill may kill and start again (the first API and the first worker, where there are two). */
export type KillableProcess = 'worker' | 'api' | 'temporal' | 'postgres';

/** What a longer run (the soak) adds to the drills' stack; the drills need none of it. */
export interface StackExtras {
  /** More checkout clients of the merchant by id, with their Bearer tokens: its orders are then each client's own (ownership records). */
  clients?: Readonly<Record<string, string>>;
  /** The merchant's webhook secret: the simulator then notifies the first API of order changes, signed with it, and settles pending orders only when told to. */
  webhookSecret?: string;
  /** Variables of every app (callback URLs, the follow-up schedule …). */
  settings?: Readonly<Record<string, string>>;
  /** Serve each API's operator port, for its /metrics. */
  operatorPorts?: boolean;
  /** Temporal's dynamic configuration (the dev server's or the cluster's), by key. */
  dynamicConfig?: Readonly<Record<string, number>>;
}

/** One API's or worker's process in the stack, and where its Prometheus metrics are served. */
export interface AppInstance {
  name: string;
  app: 'api' | 'worker';
  metricsUrl: string;
}

/**
 * A private stack on free loopback ports, with payload encryption on as in every deployment: the
 * simulator and, on a Temporal dev server persisting to a SQLite file in a temporary folder (so
 * it can be killed and restarted with its runs), a worker and the API; or, on the real server on
 * a private PostgreSQL, two workers and two APIs, as a deployment runs them.
 */
export class DrillStack {
  readonly apiUrls: readonly string[];
  readonly simulatorUrl: string;
  /** The first API's operator port. */
  readonly operatorUrl: string;
  readonly clientToken = CLIENT_TOKEN;
  readonly merchantToken = MERCHANT_TOKEN;
  /** The APIs and workers, each with its metrics URL ('' for an API whose operator port is not served). */
  readonly appInstances: readonly AppInstance[];
  private temporalClient: Client | null = null;
  /** What a recovery waits on: every API reaching Temporal, every worker polling. */
  private readonly readinessUrls: readonly string[];

  private constructor(
    private readonly stack: Stack,
    private readonly encryption: EncryptionKeys,
    private readonly temporalChoice: TemporalChoice,
    /** Every API's and every worker's HTTP port, and the APIs' operator ports (0: not served). */
    instances: { apis: readonly number[]; workerHealth: readonly number[]; operators: readonly number[] },
    private readonly apps: Instances,
  ) {
    this.apiUrls = instances.apis.map((port) => httpUrl(LOOPBACK, port));
    // The names Stack gives them: the first of each, then the second (started as api-2, worker-2).
    const named = (app: 'api' | 'worker', index: number) => (index === 0 ? app : `${app}-${index + 1}`);
    this.appInstances = [
      ...instances.operators.map((port, index) => ({ name: named('api', index), app: 'api' as const, metricsUrl: port === 0 ? '' : `${httpUrl(LOOPBACK, port)}/metrics` })),
      ...instances.workerHealth.map((port, index) => ({ name: named('worker', index), app: 'worker' as const, metricsUrl: `${httpUrl(LOOPBACK, port)}/metrics` })),
    ];
    this.readinessUrls = [...this.apiUrls, ...instances.workerHealth.map((port) => httpUrl(LOOPBACK, port))].map((url) => `${url}/health/ready`);
    this.simulatorUrl = httpUrl(stack.addresses.host, stack.addresses.simulatorPort);
    this.operatorUrl = httpUrl(stack.addresses.host, stack.addresses.operatorPort);
  }

  static async start(apiSettings: Readonly<Record<string, string>>, verbose: boolean, temporal: TemporalChoice, extras: StackExtras = {}): Promise<DrillStack> {
    const ports = await freePorts('temporal', 'api', 'simulator', 'workerHealth', 'api2', 'workerHealth2', 'operator', 'operator2');
    // The first API's operator port always serves (an operator pauses the merchant there); the second's when asked.
    const operatorPorts = [ports.operator, extras.operatorPorts === true ? ports.operator2 : 0];
    // Both servers take each value as its JSON text (the dev server's `--dynamic-config-value`).
    const dynamicConfig = extras.dynamicConfig === undefined ? undefined : Object.fromEntries(Object.entries(extras.dynamicConfig).map(([key, value]) => [key, String(value)]));
    // A fresh key per run: the drill's own client needs it only to list runs (their memos are encrypted).
    const encryption: EncryptionKeys = { activeKeyId: 'drill', keys: new Map([['drill', randomBytes(32)]]) };
    const environment = privateEnvironment({
      // The worker's health port tells when a restarted worker polls again; the operator port pauses the merchant.
      ports: { api: ports.api, simulator: ports.simulator, workerHealth: ports.workerHealth, operator: operatorPorts[0]! },
      temporalAddress: `${LOOPBACK}:${ports.temporal}`,
      taskQueue: DRILL_TASK_QUEUE,
      merchants: [
        {
          name: 'default',
          upstreamToken: MERCHANT_TOKEN,
          namespace: 'default',
          clientTokens: { drill: CLIENT_TOKEN, ...extras.clients },
          ...(extras.webhookSecret === undefined ? {} : { webhookSecret: extras.webhookSecret }),
        },
      ],
      encryption,
      operators: { tokens: { drill: OPERATOR_TOKEN }, sessionSecret: randomBytes(32).toString('base64') },
      settings: { ...extras.settings, ...(temporal === 'postgres' ? { WORKER_DEPLOYMENT_NAME: DRILL_DEPLOYMENT, WORKER_BUILD_ID: FIRST_BUILD } : {}) },
    });
    // As test/support/stack.ts has the simulator notify: to the (first) API's webhook, signed with the merchant's secret.
    const notifying =
      extras.webhookSecret === undefined
        ? undefined
        : {
            SIMULATOR_NOTIFICATION_URL: `${httpUrl(LOOPBACK, ports.api)}/webhooks/mercadopago`,
            SIMULATOR_WEBHOOK_SECRETS: `${MERCHANT_TOKEN}=${extras.webhookSecret}`,
            SIMULATOR_PENDING_SETTLE_MS: '0',
          };
    const stack = await Stack.start({
      environment,
      apps: { api: apiSettings, simulator: notifying },
      temporal:
        temporal === 'postgres'
          ? { cluster: { ...LAB_CLUSTER.cluster, ...(dynamicConfig === undefined ? {} : { dynamicConfig }) } }
          : {
              uiPort: null,
              store: 'temporary-file',
              ...(dynamicConfig === undefined ? {} : { dynamicConfig }),
            },
      cwd: tmpdir(),
      liveOutput: verbose,
      keptLines: KEPT_OUTPUT_LINES,
      ownProcessGroups: true,
    });
    try {
      if (temporal === 'postgres') {
        await stack.startApp('worker-2', 'worker', { WORKER_HEALTH_PORT: String(ports.workerHealth2) });
        await stack.startApp('api-2', 'api', { ...apiSettings, PORT: String(ports.api2), OPERATOR_PORT: String(operatorPorts[1]) });
        // The first build is made current as a first deployment's operator makes it: until then the APIs start nothing.
        const connection = await Connection.connect({ address: stack.addresses.temporal.address });
        await makeCurrentVersion(connection, 'default', { deploymentName: DRILL_DEPLOYMENT, buildId: FIRST_BUILD }, 60_000).finally(() => connection.close());
      }
    } catch (error) {
      console.error(stack.recentOutput().join('\n'));
      await stack.stop();
      throw error;
    }
    const instances =
      temporal === 'postgres'
        ? { apis: [ports.api, ports.api2], workerHealth: [ports.workerHealth, ports.workerHealth2], operators: operatorPorts }
        : { apis: [ports.api], workerHealth: [ports.workerHealth], operators: operatorPorts.slice(0, 1) };
    const apps: Instances = new Map([
      ['worker', { app: 'worker', additions: {} }],
      ['api', { app: 'api', additions: apiSettings }],
      ...(temporal === 'postgres'
        ? ([
            ['worker-2', { app: 'worker', additions: { WORKER_HEALTH_PORT: String(ports.workerHealth2) } }],
            ['api-2', { app: 'api', additions: { ...apiSettings, PORT: String(ports.api2), OPERATOR_PORT: String(operatorPorts[1]) } }],
          ] as const)
        : []),
    ]);
    return new DrillStack(stack, encryption, temporal, instances, apps);
  }

  /** A client of the stack's Temporal, connected on first use, for listing the drills' runs. */
  async temporal(): Promise<Client> {
    this.temporalClient ??= new Client({
      connection: await Connection.connect({ address: this.stack.addresses.temporal.address }),
      dataConverter: { payloadCodecs: payloadCodecs(this.encryption) },
    });
    return this.temporalClient;
  }

  /** The process id of an app or a cluster part, by its name in the stack (`api-2`, `worker` …). */
  pid(name: string): number | undefined {
    return this.stack.pid(name);
  }

  /** Stops an app as a deployment does (SIGTERM, its shutdown hooks run) and starts it again with the same settings. */
  async restart(name: string): Promise<void> {
    await this.stack.stopOne(name);
    await this.stack.restart(name);
  }

  /** Pauses or resumes the merchant's upstream attempts (docs/operations.md, "Pausing a merchant's upstream attempts"). */
  async setUpstreamPause(paused: boolean, reason: string): Promise<void> {
    let answer = '';
    // As an operator would: a 500 (Temporal slower than TEMPORAL_RPC_TIMEOUT_MS) is sent again; setting a state twice is harmless.
    for (let attempt = 1; attempt <= PAUSE_ATTEMPTS; attempt += 1) {
      const response = await fetch(`${this.operatorUrl}/upstream-pause/default`, {
        method: 'POST',
        headers: { authorization: `Bearer ${OPERATOR_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ paused, reason }),
        signal: AbortSignal.timeout(10_000),
      });
      if (response.status === 200) return;
      answer = `${response.status}: ${await response.text()}`;
      if (response.status !== 500) break;
    }
    throw new Error(`the upstream pause answered ${answer}`);
  }

  get unexpectedExit(): Promise<string> {
    return this.stack.unexpectedExit;
  }

  recentOutput(): readonly string[] {
    return this.stack.recentOutput();
  }

  /**
   * Kills the process, leaves it down for `downMs` (as a supervisor's restart delay would), then
   * starts it again with the same settings (Temporal: on the same store and port).
   */
  async killAndRestart(name: KillableProcess, downMs: number): Promise<void> {
    const processName = name === 'temporal' && this.temporalChoice === 'postgres' ? 'temporal-server' : name;
    await this.stack.kill(processName);
    await new Promise((resolve) => setTimeout(resolve, downMs));
    await this.stack.restart(processName);
  }

  /** Starts one more worker, `name`, with its own health port and `additions` (another build's), beside the stack's. */
  async startWorker(name: string, additions: NodeJS.ProcessEnv): Promise<void> {
    const { workerHealth } = await freePorts('workerHealth');
    await this.stack.startApp(name, 'worker', { ...additions, WORKER_HEALTH_PORT: String(workerHealth) });
  }

  /**
   * Replaces the stack's workers (or APIs) one after another, each stopped as a deployment stops
   * it (SIGTERM: a worker drains its tasks, an API answers what is in flight) and started again on
   * its ports with `additions` (another build's).
   */
  async replace(app: 'api' | 'worker', additions: NodeJS.ProcessEnv): Promise<void> {
    for (const [name, instance] of this.apps) {
      if (instance.app !== app) continue;
      await this.stack.stopOne(name, 30_000);
      await this.stack.startApp(name, app, { ...instance.additions, ...additions });
    }
  }

  /**
   * Whether every API reaches Temporal and every worker polls its task queue again: all readiness
   * probes answer 200. Polls until `timeoutMs`; resolves with the seconds it took, or null.
   */
  async waitUntilReady(timeoutMs: number): Promise<number | null> {
    const started = Date.now();
    const probes = this.readinessUrls;
    while (Date.now() - started < timeoutMs) {
      const answers = await Promise.all(
        probes.map((url) =>
          fetch(url, { signal: AbortSignal.timeout(5_000) }).then(
            (response) => response.status,
            () => 0,
          ),
        ),
      );
      if (answers.every((status) => status === 200)) return (Date.now() - started) / 1000;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    return null;
  }

  async stop(): Promise<void> {
    await this.temporalClient?.connection.close();
    await this.stack.stop();
  }
}
