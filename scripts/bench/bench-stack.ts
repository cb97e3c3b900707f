import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { appEntryPoints, repoRoot } from '../lib/paths';
import { spawnPrefixed, stopGracefully, waitForPort, type Supervised } from '../lib/processes';
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
}

/** A private stack on free loopback ports: Temporal dev server (in memory), simulator, worker, API. */
export interface BenchStack {
  apiUrl: string;
  simulatorUrl: string;
  temporalAddress: string;
  /** The Bearer token the API accepts from the benchmark's client. */
  clientToken: string;
  /** The merchant token the simulator accepts, used by the worker and by direct calls. */
  merchantToken: string;
  temporal: Client;
  /** The stack's processes by name (temporal, simulator, worker, api), for CPU accounting. */
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

export async function startBenchStack(settings: BenchStackSettings): Promise<BenchStack> {
  const output: string[] = [];
  const collect = (line: string) => {
    if (settings.verbose) process.stdout.write(`${line}\n`);
    output.push(line);
    if (output.length > KEPT_OUTPUT_LINES) output.shift();
  };
  const started: Supervised[] = [];
  // Children have their own process groups (Ctrl-C reaches only the benchmark, which stops them in
  // order), so they would outlive a benchmark that crashed unless told to go.
  const killStarted = () => started.forEach((child) => child.child.kill('SIGTERM'));
  process.once('exit', killStarted);

  const { variant } = settings;
  const temporalDirectory = variant.temporalDbFile ? mkdtempSync(join(tmpdir(), 'bench-temporal-')) : null;
  let stopping = false;
  const stopAll = async () => {
    stopping = true;
    for (const child of [...started].reverse()) await stopGracefully(child, 10_000);
    process.removeListener('exit', killStarted);
    if (temporalDirectory !== null) rmSync(temporalDirectory, { recursive: true, force: true });
  };

  try {
    const [temporalPort, simulatorPort, apiPort] = [await freePort(), await freePort(), await freePort()];
    const temporalAddress = `${HOST}:${temporalPort}`;
    started.push(
      await startTemporalDevServer({
        ip: HOST,
        port: temporalPort,
        uiPort: null,
        dbFilename: temporalDirectory === null ? null : join(temporalDirectory, 'temporal.db'),
        namespace: 'default',
        sqlitePragmas: variant.temporalSqlitePragmas,
        dynamicConfig: variant.temporalDynamicConfig,
        output: collect,
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
    };
    const spawnApp = (name: keyof typeof appEntryPoints, env: NodeJS.ProcessEnv) => {
      const child = spawnPrefixed(name, process.execPath, [appEntryPoints[name]], {
        env: { ...appEnvironment, ...env },
        // Away from the repository, so a developer's .env cannot change what is measured.
        cwd: tmpdir(),
        output: collect,
        ownProcessGroup: true,
      });
      started.push(child);
      return child;
    };

    const simulator = spawnApp('simulator', {
      SIMULATOR_PORT: String(simulatorPort),
      SIMULATOR_ACCESS_TOKENS: MERCHANT_TOKEN,
      SIMULATOR_LATENCY_MS: String(settings.simulatorLatencyMs),
    });
    await waitForPort(HOST, simulatorPort, 30_000, simulator);
    spawnApp('worker', { WORKFLOW_BUNDLE_PATH: join(repoRoot, 'dist/workflow-bundle.js'), ...variant.workerEnvironment });
    const api = spawnApp('api', { ...settings.apiEnvironment, PORT: String(apiPort), API_TOKENS: `${CLIENT_ID}:${CLIENT_TOKEN}` });
    await waitForPort(HOST, apiPort, 30_000, api);

    const temporal = new Client({ connection: await Connection.connect({ address: temporalAddress }) });
    // Never settles once stopping has begun, so waiting on it cannot outlive the run.
    const unexpectedExit = new Promise<string>((resolve) => {
      for (const child of started) void child.exited.then((code) => !stopping && resolve(`${child.name} exited (${code}) during the run`));
    });
    return {
      apiUrl: `http://${HOST}:${apiPort}`,
      simulatorUrl,
      temporalAddress,
      clientToken: CLIENT_TOKEN,
      merchantToken: MERCHANT_TOKEN,
      temporal,
      unexpectedExit,
      processIds: Object.fromEntries(started.flatMap((child) => (child.child.pid === undefined ? [] : [[child.name, child.child.pid]]))),
      recentOutput: () => output,
      stop: async () => {
        await temporal.connection.close();
        await stopAll();
      },
    };
  } catch (error) {
    console.error(output.join('\n'));
    await stopAll();
    throw error;
  }
}
