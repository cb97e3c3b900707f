import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { payloadCodecs, type EncryptionKeys } from '../../libs/encryption/src';
import { freePort } from '../lib/free-port';
import { appEntryPoints, repoRoot } from '../lib/paths';
import { waitForPort } from '../lib/processes';
import { StackProcesses } from '../lib/stack-processes';
import { startTemporalDevServer, type DevServerOptions } from '../lib/temporal-dev-server';

const HOST = '127.0.0.1';
const CLIENT_ID = 'drill';
const CLIENT_TOKEN = 'drill-client-token';
const MERCHANT_TOKEN = 'APP_USR-drill-merchant-token';
export const DRILL_TASK_QUEUE = 'drill';
/** Start-up of a process on a busy 2-core machine; past this a restart counts as failed. */
const START_TIMEOUT_MS = 60_000;

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
    private readonly processes: StackProcesses,
    private readonly dataDirectory: string,
    private readonly temporalOptions: DevServerOptions,
    private readonly ports: { api: number; simulator: number; workerHealth: number },
    private readonly appEnvironment: NodeJS.ProcessEnv,
    private readonly apiEnvironment: NodeJS.ProcessEnv,
    private readonly encryption: EncryptionKeys,
  ) {
    this.apiUrl = `http://${HOST}:${ports.api}`;
    this.simulatorUrl = `http://${HOST}:${ports.simulator}`;
  }

  static async start(apiSettings: Readonly<Record<string, string>>, verbose: boolean): Promise<DrillStack> {
    const processes = new StackProcesses(verbose);
    const dataDirectory = mkdtempSync(join(tmpdir(), 'drill-temporal-'));
    const [temporalPort, api, simulator, workerHealth] = [await freePort(), await freePort(), await freePort(), await freePort()];
    const temporalOptions: DevServerOptions = {
      ip: HOST,
      port: temporalPort,
      uiPort: null,
      dbFilename: join(dataDirectory, 'temporal.db'),
      namespace: 'default',
      output: processes.collect,
      ownProcessGroup: true,
    };
    const simulatorUrl = `http://${HOST}:${simulator}`;
    // A fresh key per run: the drill's own client needs it only to list runs (their memos are encrypted).
    const encryption: EncryptionKeys = { activeKeyId: 'drill', keys: new Map([['drill', randomBytes(32)]]) };
    const appEnvironment: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOST,
      TEMPORAL_ADDRESS: `${HOST}:${temporalPort}`,
      TEMPORAL_NAMESPACE: 'default',
      TEMPORAL_TASK_QUEUE: DRILL_TASK_QUEUE,
      UPSTREAM_BASE_URL: simulatorUrl,
      UPSTREAM_ACCESS_TOKEN: MERCHANT_TOKEN,
      PAYLOAD_ENCRYPTION_KEYS: [...encryption.keys].map(([id, key]) => `${id}:${key.toString('base64')}`).join(','),
      PAYLOAD_ENCRYPTION_KEY_ID: encryption.activeKeyId,
      // The worker's, and the API's for the worker it hosts.
      WORKFLOW_BUNDLE_PATH: join(repoRoot, 'dist/workflow-bundle.js'),
    };
    // OPERATOR_PORT 0: an ephemeral port, unused here, that cannot collide with a local stack's.
    const apiEnvironment = { ...apiSettings, PORT: String(api), OPERATOR_PORT: '0', API_TOKENS: `${CLIENT_ID}:${CLIENT_TOKEN}` };
    const stack = new DrillStack(processes, dataDirectory, temporalOptions, { api, simulator, workerHealth }, appEnvironment, apiEnvironment, encryption);
    try {
      await stack.startProcess('temporal');
      const simulatorProcess = processes.spawnApp('simulator', appEntryPoints.simulator, {
        ...appEnvironment,
        SIMULATOR_PORT: String(simulator),
        SIMULATOR_ACCESS_TOKENS: MERCHANT_TOKEN,
      });
      await waitForPort(HOST, simulator, START_TIMEOUT_MS, simulatorProcess);
      await stack.startProcess('worker');
      await stack.startProcess('api');
      return stack;
    } catch (error) {
      console.error(processes.recentOutput().join('\n'));
      await stack.stop();
      throw error;
    }
  }

  /** A client of the stack's Temporal, connected on first use, for listing the drills' runs. */
  async temporal(): Promise<Client> {
    this.temporalClient ??= new Client({
      connection: await Connection.connect({ address: this.appEnvironment.TEMPORAL_ADDRESS as string }),
      dataConverter: { payloadCodecs: payloadCodecs(this.encryption) },
    });
    return this.temporalClient;
  }

  get unexpectedExit(): Promise<string> {
    return this.processes.unexpectedExit;
  }

  recentOutput(): readonly string[] {
    return this.processes.recentOutput();
  }

  /**
   * kill -9 the process, leave it down for `downMs` (as a supervisor's restart delay would), then
   * start it again with the same settings (Temporal: on the same database file and port).
   */
  async killAndRestart(name: KillableProcess, downMs: number): Promise<void> {
    await this.processes.kill(name);
    await new Promise((resolve) => setTimeout(resolve, downMs));
    await this.startProcess(name);
  }

  /**
   * Whether the API reaches Temporal and the worker polls its task queue again: both readiness
   * probes answer 200. Polls until `timeoutMs`; resolves with the seconds it took, or null.
   */
  async waitUntilReady(timeoutMs: number): Promise<number | null> {
    const started = Date.now();
    const probes = [`${this.apiUrl}/health/ready`, `http://${HOST}:${this.ports.workerHealth}/health/ready`];
    while (Date.now() - started < timeoutMs) {
      const answers = await Promise.all(probes.map((url) => fetch(url, { signal: AbortSignal.timeout(5_000) }).then((response) => response.status, () => 0)));
      if (answers.every((status) => status === 200)) return (Date.now() - started) / 1000;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    return null;
  }

  async stop(): Promise<void> {
    await this.temporalClient?.connection.close();
    await this.processes.stopAll();
    rmSync(this.dataDirectory, { recursive: true, force: true });
  }

  private async startProcess(name: KillableProcess): Promise<void> {
    switch (name) {
      case 'temporal':
        this.processes.track(await startTemporalDevServer(this.temporalOptions));
        return;
      case 'worker': {
        const worker = this.processes.spawnApp('worker', appEntryPoints.worker, {
          ...this.appEnvironment,
          WORKER_HEALTH_PORT: String(this.ports.workerHealth),
        });
        await waitForPort(HOST, this.ports.workerHealth, START_TIMEOUT_MS, worker);
        return;
      }
      case 'api': {
        const api = this.processes.spawnApp('api', appEntryPoints.api, { ...this.appEnvironment, ...this.apiEnvironment });
        await waitForPort(HOST, this.ports.api, START_TIMEOUT_MS, api);
        return;
      }
    }
  }
}
