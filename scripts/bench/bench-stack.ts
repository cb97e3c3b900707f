import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { appEntryPoints, repoRoot } from '../lib/paths';
import { waitForPort } from '../lib/processes';
import { StackProcesses } from '../lib/stack-processes';
import { startTemporalDevServer } from '../lib/temporal-dev-server';
import { freePort } from '../lib/free-port';
import type { StackVariant } from './bench-plan';

const HOST = '127.0.0.1';
/** Lines of app output kept to explain a failure; the apps are quiet unless something goes wrong. */
const KEPT_OUTPUT_LINES = 200;

export interface BenchStackSettings {
  simulatorLatencyMs: number;
  /** The orchestrator's timeouts and retry schedule, passed to the API as they are. */
  apiEnvironment: Readonly<Record<string, string>>;
  /** The experiment's changes to the worker and the Temporal dev server. */
  variant: StackVariant;
  /** Show the apps' output live instead of keeping only its tail. */
  verbose: boolean;
  /** Also start the plain-Temporal floor (its front and its worker), for the floor scenarios; off by default. */
  floor?: boolean;
}

/** A private stack on free loopback ports: Temporal dev server (in memory), simulator, worker, API, and the floor if asked. */
export interface BenchStack {
  apiUrl: string;
  /** The plain-Temporal floor's front, or null when the run measures no floor scenario. */
  floorUrl: string | null;
  simulatorUrl: string;
  temporalAddress: string;
  /** The Bearer token the API accepts from the benchmark's client. */
  clientToken: string;
  /** The merchant token the simulator accepts, used by the worker and by direct calls. */
  merchantToken: string;
  temporal: Client;
  /** The stack's processes by name (temporal, simulator, worker, api, floor-*), for CPU accounting. */
  processIds: Readonly<Record<string, number>>;
  /** Resolves, naming the process, if one of the stack's processes exits before `stop()`. */
  unexpectedExit: Promise<string>;
  /** The last lines the apps printed, for a failure report. */
  recentOutput(): readonly string[];
  /** Stops the apps first and Temporal last, so in-flight work drains instead of erroring. */
  stop(): Promise<void>;
}

const CLIENT_ID = 'bench';
const CLIENT_TOKEN = 'bench-client-token';
const MERCHANT_TOKEN = 'APP_USR-bench-merchant-token';
const TASK_QUEUE = 'bench';
/** The floor's entry points, built with the other scripts. */
const floorEntryPoints = {
  front: join(repoRoot, 'dist/scripts/bench/floor/floor-front.js'),
  worker: join(repoRoot, 'dist/scripts/bench/floor/floor-worker.js'),
} as const;

export async function startBenchStack(settings: BenchStackSettings): Promise<BenchStack> {
  const processes = new StackProcesses(settings.verbose, KEPT_OUTPUT_LINES);
  const { variant } = settings;
  const temporalDirectory = variant.temporalDbFile ? mkdtempSync(join(tmpdir(), 'bench-temporal-')) : null;
  const stopAll = async () => {
    await processes.stopAll();
    if (temporalDirectory !== null) rmSync(temporalDirectory, { recursive: true, force: true });
  };
  try {
    const [temporalPort, simulatorPort, apiPort] = [await freePort(), await freePort(), await freePort()];
    const temporalAddress = `${HOST}:${temporalPort}`;
    processes.track(
      await startTemporalDevServer({
        ip: HOST,
        port: temporalPort,
        uiPort: null,
        dbFilename: temporalDirectory === null ? null : join(temporalDirectory, 'temporal.db'),
        namespace: 'default',
        sqlitePragmas: variant.temporalSqlitePragmas,
        dynamicConfig: variant.temporalDynamicConfig,
        output: processes.collect,
        ownProcessGroup: true,
      }),
    );

    const simulatorUrl = `http://${HOST}:${simulatorPort}`;
    const appEnvironment: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOST,
      TEMPORAL_ADDRESS: temporalAddress,
      TEMPORAL_NAMESPACE: 'default',
      TEMPORAL_TASK_QUEUE: TASK_QUEUE,
      UPSTREAM_BASE_URL: simulatorUrl,
      UPSTREAM_ACCESS_TOKEN: MERCHANT_TOKEN,
      // The worker's, and the API's for the worker it hosts.
      WORKFLOW_BUNDLE_PATH: join(repoRoot, 'dist/workflow-bundle.js'),
    };
    const spawnApp = (name: keyof typeof appEntryPoints, env: NodeJS.ProcessEnv) => processes.spawnApp(name, appEntryPoints[name], { ...appEnvironment, ...env });

    const simulator = spawnApp('simulator', {
      SIMULATOR_PORT: String(simulatorPort),
      SIMULATOR_ACCESS_TOKENS: MERCHANT_TOKEN,
      SIMULATOR_LATENCY_MS: String(settings.simulatorLatencyMs),
    });
    await waitForPort(HOST, simulatorPort, 30_000, simulator);
    spawnApp('worker', variant.workerEnvironment);
    // OPERATOR_PORT 0: an ephemeral port, unused here, that cannot collide with a local stack's.
    const api = spawnApp('api', { ...settings.apiEnvironment, PORT: String(apiPort), OPERATOR_PORT: '0', API_TOKENS: `${CLIENT_ID}:${CLIENT_TOKEN}` });
    await waitForPort(HOST, apiPort, 30_000, api);
    const floorUrl = settings.floor === true ? await startFloor(processes, appEnvironment) : null;

    const temporal = new Client({ connection: await Connection.connect({ address: temporalAddress }) });
    return {
      apiUrl: `http://${HOST}:${apiPort}`,
      floorUrl,
      simulatorUrl,
      temporalAddress,
      clientToken: CLIENT_TOKEN,
      merchantToken: MERCHANT_TOKEN,
      temporal,
      unexpectedExit: processes.unexpectedExit.then((reason) => `${reason} during the run`),
      processIds: Object.fromEntries(processes.names().flatMap((name) => (processes.pid(name) === undefined ? [] : [[name, processes.pid(name) as number]]))),
      recentOutput: () => processes.recentOutput(),
      stop: async () => {
        await temporal.connection.close();
        await stopAll();
      },
    };
  } catch (error) {
    console.error(processes.recentOutput().join('\n'));
    await stopAll();
    throw error;
  }
}

/**
 * The plain-Temporal floor as two processes beside the orchestrator's, on the same dev server and
 * simulator: a front and a worker, as the orchestrator has an API and a worker, so both pay the
 * same process hops and each one's CPU shows in its own column. Resolves with the front's URL;
 * the worker is ready once a first floor payment completes.
 */
async function startFloor(processes: StackProcesses, appEnvironment: NodeJS.ProcessEnv): Promise<string> {
  const port = await freePort();
  processes.spawnApp('floor-worker', floorEntryPoints.worker, appEnvironment);
  const front = processes.spawnApp('floor-front', floorEntryPoints.front, { ...appEnvironment, FLOOR_PORT: String(port) });
  await waitForPort(HOST, port, 30_000, front);
  return `http://${HOST}:${port}`;
}
