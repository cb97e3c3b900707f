import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { freePort, freePorts } from '../lib/free-port';
import { repoRoot } from '../lib/paths';
import { LOOPBACK, privateEnvironment } from '../lib/stack/private-environment';
import { httpUrl } from '../lib/stack/stack-addresses';
import { Stack } from '../lib/stack/stack';
import { LAB_CLUSTER, type TemporalChoice } from '../lib/stack/temporal-choice';
import type { StackVariant } from './bench-plan';

/** Lines of app output kept to explain a failure; the apps are quiet unless something goes wrong. */
const KEPT_OUTPUT_LINES = 200;

export interface BenchStackSettings {
  temporal: TemporalChoice;
  simulatorLatencyMs: number;
  /** The orchestrator's timeouts and retry schedule, passed to the API as they are. */
  apiEnvironment: Readonly<Record<string, string>>;
  /** The experiment's changes to the worker and the Temporal dev server. */
  variant: StackVariant;
  /** Show the apps' output live instead of keeping only its tail. */
  verbose: boolean;
  /** Also start the engine floor (one process: front, client and worker), for the floor scenarios; off by default. */
  floor?: boolean;
  /** Also give two more clients callback URLs (one answering 204, one never answering), for the callback scenarios. */
  callbacks?: boolean;
}

/** The callback scenarios' clients: their tokens, and how many POSTs the silent receiver holds open. */
export interface CallbackClients {
  /** A client whose callback URL answers 204 at once. */
  calledBackToken: string;
  /** A client whose receiver accepts connections and never answers. */
  hungToken: string;
  hungPostsOpen(): number;
}

/** A private stack on free loopback ports: Temporal (dev server in memory, or the cluster), simulator, worker, API, and the floor if asked. */
export interface BenchStack {
  apiUrl: string;
  /** The engine floor's front, or null when the run measures no floor scenario. */
  floorUrl: string | null;
  simulatorUrl: string;
  /** The Bearer token the API accepts from the benchmark's client. */
  clientToken: string;
  /** The merchant token the simulator accepts, used by the worker and by direct calls. */
  merchantToken: string;
  /** Null unless the plan runs the callback scenarios. */
  callbackClients: CallbackClients | null;
  temporal: Client;
  /** The stack's processes by name (temporal or temporal-server and postgres, simulator, worker, api, floor), for CPU accounting. */
  processIds: Readonly<Record<string, number>>;
  /** Resolves, naming the process, if one of the stack's processes exits before `stop()`. */
  unexpectedExit: Promise<string>;
  /** The last lines the apps printed, for a failure report. */
  recentOutput(): readonly string[];
  /** Stops the apps first and Temporal last, so in-flight work drains instead of erroring. */
  stop(): Promise<void>;
}

const CLIENT_TOKEN = 'bench-client-token';
const MERCHANT_TOKEN = 'APP_USR-bench-merchant-token';
/** Far above any rate one client reaches on one machine. */
const BENCH_CLIENT_REQUESTS_PER_SECOND = 1_000_000;
/** The floor's entry point, built with the other scripts. */
const FLOOR_ENTRY_POINT = join(repoRoot, 'dist/scripts/bench/floor/floor-process.js');

const CALLED_BACK_TOKEN = 'bench-called-back-token';
/** The client of (g), whose callback URL answers 204. */
export const CALLED_BACK_CLIENT = 'called-back';
const HUNG_TOKEN = 'bench-hung-callback-token';

/** A loopback receiver: `answer` decides what each POST gets (nothing, for one that never answers). */
async function startReceiver(answer: (response: ServerResponse) => void): Promise<{ server: Server; url: string }> {
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => answer(response));
  });
  await new Promise<void>((resolve) => server.listen(0, LOOPBACK, resolve));
  return { server, url: httpUrl(LOOPBACK, (server.address() as AddressInfo).port) };
}

/** The receivers of the callback scenarios, and the variables that point two clients at them. */
async function startCallbackReceivers() {
  const answering = await startReceiver((response) => response.writeHead(204).end());
  const hung: ServerResponse[] = [];
  const silent = await startReceiver((response) => hung.push(response));
  const clients: CallbackClients = {
    calledBackToken: CALLED_BACK_TOKEN,
    hungToken: HUNG_TOKEN,
    hungPostsOpen: () => hung.filter((response) => !response.destroyed && !response.socket?.destroyed).length,
  };
  return {
    clients,
    settings: {
      CLIENT_CALLBACK_URLS: `${CALLED_BACK_CLIENT}=${answering.url}/hooks,hung=${silent.url}/hooks`,
      CLIENT_CALLBACK_SECRETS: `${CALLED_BACK_CLIENT}=bench-called-back-secret-0123456789abcdef,hung=bench-hung-callback-secret-0123456789abcdef`,
    },
    close: () => {
      for (const { server } of [answering, silent]) {
        server.closeAllConnections();
        server.close();
      }
    },
  };
}

/** The bench's payment task queue (its callbacks run on `<queue>-callbacks`). */
export const BENCH_TASK_QUEUE = 'bench';

export async function startBenchStack(settings: BenchStackSettings): Promise<BenchStack> {
  const { variant } = settings;
  const receivers = settings.callbacks === true ? await startCallbackReceivers() : null;
  const ports = await freePorts('temporal', 'api', 'simulator');
  const environment = privateEnvironment({
    // No operator port or worker HTTP: nothing here reads them, and they would cost CPU the bench measures.
    ports: { api: ports.api, simulator: ports.simulator, operator: 0, workerHealth: 0 },
    temporalAddress: `${LOOPBACK}:${ports.temporal}`,
    taskQueue: BENCH_TASK_QUEUE,
    merchants: [
      {
        name: 'default',
        upstreamToken: MERCHANT_TOKEN,
        namespace: 'default',
        clientTokens: { bench: CLIENT_TOKEN, ...(receivers === null ? {} : { [CALLED_BACK_CLIENT]: CALLED_BACK_TOKEN, hung: HUNG_TOKEN }) },
      },
    ],
    encryption: null,
    operators: null,
    settings: {
      SIMULATOR_LATENCY_MS: String(settings.simulatorLatencyMs),
      // The bench measures what one client can get through the stack (replays run past 1,800/s),
      // so its client's request rate is unbounded; the quotas' own cost is one in-memory count.
      CLIENT_REQUESTS_PER_SECOND: String(BENCH_CLIENT_REQUESTS_PER_SECOND),
      CLIENT_REQUEST_BURST: String(BENCH_CLIENT_REQUESTS_PER_SECOND),
      ...(receivers?.settings ?? {}),
    },
  });
  const stack = await Stack.start({
    environment,
    apps: { worker: variant.workerEnvironment, api: settings.apiEnvironment },
    temporal:
      settings.temporal === 'postgres'
        ? LAB_CLUSTER
        : {
            uiPort: null,
            store: variant.temporalDbFile ? 'temporary-file' : 'memory',
            sqlitePragmas: variant.temporalSqlitePragmas,
            dynamicConfig: variant.temporalDynamicConfig,
          },
    cwd: tmpdir(),
    liveOutput: settings.verbose,
    keptLines: KEPT_OUTPUT_LINES,
    ownProcessGroups: true,
  });
  try {
    const floorUrl = settings.floor === true ? await startFloor(stack) : null;
    const temporal = new Client({ connection: await Connection.connect({ address: stack.addresses.temporal.address }) });
    return {
      apiUrl: httpUrl(LOOPBACK, ports.api),
      floorUrl,
      simulatorUrl: httpUrl(LOOPBACK, ports.simulator),
      clientToken: CLIENT_TOKEN,
      merchantToken: MERCHANT_TOKEN,
      callbackClients: receivers?.clients ?? null,
      temporal,
      unexpectedExit: stack.unexpectedExit.then((reason) => `${reason} during the run`),
      processIds: Object.fromEntries(stack.names().flatMap((name) => (stack.pid(name) === undefined ? [] : [[name, stack.pid(name) as number]]))),
      recentOutput: () => stack.recentOutput(),
      stop: async () => {
        await temporal.connection.close();
        await stack.stop();
        receivers?.close();
      },
    };
  } catch (error) {
    console.error(stack.recentOutput().join('\n'));
    await stack.stop();
    receivers?.close();
    throw error;
  }
}

/**
 * The engine floor (issue 26's `temporal-eager` shape: front, client and worker in one process)
 * beside the orchestrator's processes, on the same Temporal (dev server or cluster) and simulator;
 * its CPU shows in its own column, `floor`. Resolves with its URL once it listens; its worker is
 * ready once a first floor payment completes.
 */
async function startFloor(stack: Stack): Promise<string> {
  const port = await freePort();
  await stack.startScript('floor', FLOOR_ENTRY_POINT, { FLOOR_PORT: String(port) }, [port]);
  return httpUrl(LOOPBACK, port);
}
