import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { Client, Connection } from '@temporalio/client';
import { payloadCodecs, type EncryptionKeys } from '../../libs/encryption/src';
import { freePorts } from '../lib/free-port';
import { LOOPBACK, privateEnvironment } from '../lib/stack/private-environment';
import { httpUrl } from '../lib/stack/stack-addresses';
import { Stack } from '../lib/stack/stack';

const CLIENT_TOKEN = 'drill-client-token';
const MERCHANT_TOKEN = 'APP_USR-drill-merchant-token';
export const DRILL_TASK_QUEUE = 'drill';
/** Lines of app output kept to explain a failure. */
const KEPT_OUTPUT_LINES = 200;

/** The processes a drill may kill -9 and start again. */
export type KillableProcess = 'worker' | 'api' | 'temporal';

/**
 * A private stack on free loopback ports: a Temporal dev server persisting to a SQLite file in a
 * temporary folder (so it can be killed and restarted with its runs), the simulator, a worker and
 * the API, with payload encryption on as in every deployment.
 */
export class DrillStack {
  readonly apiUrl: string;
  readonly simulatorUrl: string;
  readonly clientToken = CLIENT_TOKEN;
  readonly merchantToken = MERCHANT_TOKEN;
  private temporalClient: Client | null = null;

  private constructor(
    private readonly stack: Stack,
    private readonly encryption: EncryptionKeys,
  ) {
    const { host, apiPort, simulatorPort } = stack.addresses;
    this.apiUrl = httpUrl(host, apiPort);
    this.simulatorUrl = httpUrl(host, simulatorPort);
  }

  static async start(apiSettings: Readonly<Record<string, string>>, verbose: boolean): Promise<DrillStack> {
    const ports = await freePorts('temporal', 'api', 'simulator', 'workerHealth');
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
      settings: {},
    });
    const stack = await Stack.start({
      environment,
      apps: { api: apiSettings },
      temporal: { uiPort: null, store: 'temporary-file' },
      cwd: tmpdir(),
      liveOutput: verbose,
      keptLines: KEPT_OUTPUT_LINES,
      ownProcessGroups: true,
    });
    return new DrillStack(stack, encryption);
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
   * kill -9 the process, leave it down for `downMs` (as a supervisor's restart delay would), then
   * start it again with the same settings (Temporal: on the same database file and port).
   */
  async killAndRestart(name: KillableProcess, downMs: number): Promise<void> {
    await this.stack.kill(name);
    await new Promise((resolve) => setTimeout(resolve, downMs));
    await this.stack.restart(name);
  }

  /**
   * Whether the API reaches Temporal and the worker polls its task queue again: both readiness
   * probes answer 200. Polls until `timeoutMs`; resolves with the seconds it took, or null.
   */
  async waitUntilReady(timeoutMs: number): Promise<number | null> {
    const started = Date.now();
    const { host, workerHealthPort } = this.stack.addresses;
    const probes = [`${this.apiUrl}/health/ready`, `${httpUrl(host, workerHealthPort)}/health/ready`];
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
