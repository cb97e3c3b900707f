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

/**
 * A private stack on free loopback ports, with payload encryption on as in every deployment: the
 * simulator and, on a Temporal dev server persisting to a SQLite file in a temporary folder (so
 * it can be killed and restarted with its runs), a worker and the API; or, on the real server on
 * a private PostgreSQL, two workers and two APIs, as a deployment runs them.
 */
export class DrillStack {
  readonly apiUrls: readonly string[];
  readonly simulatorUrl: string;
  readonly clientToken = CLIENT_TOKEN;
  readonly merchantToken = MERCHANT_TOKEN;
  private temporalClient: Client | null = null;
  /** What a recovery waits on: every API reaching Temporal, every worker polling. */
  private readonly readinessUrls: readonly string[];

  private constructor(
    private readonly stack: Stack,
    private readonly encryption: EncryptionKeys,
    private readonly temporalChoice: TemporalChoice,
    /** Every API's and every worker's HTTP port. */
    instances: { apis: readonly number[]; workerHealth: readonly number[] },
    private readonly apps: Instances,
  ) {
    this.apiUrls = instances.apis.map((port) => httpUrl(LOOPBACK, port));
    this.readinessUrls = [...this.apiUrls, ...instances.workerHealth.map((port) => httpUrl(LOOPBACK, port))].map((url) => `${url}/health/ready`);
    this.simulatorUrl = httpUrl(stack.addresses.host, stack.addresses.simulatorPort);
  }

  static async start(apiSettings: Readonly<Record<string, string>>, verbose: boolean, temporal: TemporalChoice): Promise<DrillStack> {
    const ports = await freePorts('temporal', 'api', 'simulator', 'workerHealth', 'api2', 'workerHealth2');
    // A fresh key per run: the drill's own client needs it only to list runs (their memos are encrypted).
    const encryption: EncryptionKeys = { activeKeyId: 'drill', keys: new Map([['drill', randomBytes(32)]]) };
    const environment = privateEnvironment({
      // The worker's health port tells when a restarted worker polls again; no operator port is needed.
      ports: { api: ports.api, simulator: ports.simulator, workerHealth: ports.workerHealth, operator: 0 },
      temporalAddress: `${LOOPBACK}:${ports.temporal}`,
      taskQueue: DRILL_TASK_QUEUE,
      merchants: [{ name: 'default', upstreamToken: MERCHANT_TOKEN, namespace: 'default', clientTokens: { drill: CLIENT_TOKEN } }],
      encryption,
      operators: null,
      settings: temporal === 'postgres' ? { WORKER_DEPLOYMENT_NAME: DRILL_DEPLOYMENT, WORKER_BUILD_ID: FIRST_BUILD } : {},
    });
    const stack = await Stack.start({
      environment,
      apps: { api: apiSettings },
      temporal: temporal === 'postgres' ? LAB_CLUSTER : { uiPort: null, store: 'temporary-file' },
      cwd: tmpdir(),
      liveOutput: verbose,
      keptLines: KEPT_OUTPUT_LINES,
      ownProcessGroups: true,
    });
    try {
      if (temporal === 'postgres') {
        await stack.startApp('worker-2', 'worker', { WORKER_HEALTH_PORT: String(ports.workerHealth2) });
        await stack.startApp('api-2', 'api', { ...apiSettings, PORT: String(ports.api2) });
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
      temporal === 'postgres' ? { apis: [ports.api, ports.api2], workerHealth: [ports.workerHealth, ports.workerHealth2] } : { apis: [ports.api], workerHealth: [ports.workerHealth] };
    const apps: Instances = new Map([
      ['worker', { app: 'worker', additions: {} }],
      ['api', { app: 'api', additions: apiSettings }],
      ...(temporal === 'postgres'
        ? ([
            ['worker-2', { app: 'worker', additions: { WORKER_HEALTH_PORT: String(ports.workerHealth2) } }],
            ['api-2', { app: 'api', additions: { ...apiSettings, PORT: String(ports.api2) } }],
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
      await this.stack.stopApp(name, 30_000);
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
