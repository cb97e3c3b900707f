import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TemporalConnectionOptions } from '../../../libs/config/src';
import { registerSearchAttributes } from '../../register-search-attributes';
import { freePort } from '../free-port';
import { ExitWatch } from '../exit-watch';
import { hasExited, stopGracefully, waitForPort, type Supervised } from '../processes';
import { startPrivatePostgres, type PrivatePostgres } from './private-postgres';
import { ensureTemporalServerBuild, ensureUiServerBuild } from './temporal-build';
import { setUpTemporalSchemas } from './temporal-schema';
import { createNamespace, prepareTemporalServer, type ServerTls, type TemporalServerOptions } from './temporal-server';
import { startTemporalUi } from './temporal-ui';

/** What development-postgres12.yaml uses; enough for one machine (docs/operations.md on shards). */
export const DEFAULT_HISTORY_SHARDS = 4;
/** How long closed runs are kept: the dev server's default, and the idempotency window (README.md). */
export const NAMESPACE_RETENTION_MS = 24 * 60 * 60 * 1000;
/**
 * Each service caches namespaces and refreshes the cache this often (`system.namespaceCacheRefreshInterval`,
 * common/dynamicconfig/constants.go): until then, matching refuses polls on a new namespace as not
 * found, and a worker that polls then stops with that error.
 */
const NAMESPACE_CACHE_REFRESH_MS = 2_000;

export interface TemporalClusterOptions {
  /** The frontend's port on 127.0.0.1. */
  port: number;
  /** Every merchant's namespace; the Web UI opens the first. */
  namespaces: readonly [string, ...string[]];
  /** How long closed runs are kept: the idempotency window (docs/architecture.md). */
  retentionMs: number;
  historyShards?: number;
  /** The Web UI's port, and the codec endpoint it should use; null runs no UI. */
  ui: { port: number; codecEndpoint?: string } | null;
  /** Mutual TLS on the frontend; the set-up calls present the server's own certificate. */
  tls?: ServerTls;
  /** Dynamic configuration for the cluster (TemporalServerOptions.dynamicConfig). */
  dynamicConfig?: TemporalServerOptions['dynamicConfig'];
  output: (line: string) => void;
}

/** The parts of a cluster that a drill crashes and starts again, by their process names. */
export const clusterParts = ['temporal-server', 'postgres'] as const;
export type ClusterPart = (typeof clusterParts)[number];

export function isClusterPart(name: string): name is ClusterPart {
  return (clusterParts as readonly string[]).includes(name);
}

export interface TemporalCluster {
  address: string;
  uiUrl: string | null;
  /** Resolves, naming the process, if one of the cluster's exits that neither `kill` nor `stop` ended. */
  unexpectedExit: Promise<string>;
  /** The running processes' ids by name (PostgreSQL's: its postmaster, whose sessions are its children). */
  processIds(): Record<string, number>;
  /** Crashes a part: kill -9 of the server; PostgreSQL's immediate shutdown (private-postgres.ts says why not kill -9). */
  kill(part: ClusterPart): Promise<void>;
  /** Starts a killed part again, on the same configuration, ports and data; resolves once the server serves a namespace call again. */
  restart(part: ClusterPart): Promise<void>;
  /** Stops the UI, the server and PostgreSQL, in that order, and removes their data. */
  stop(): Promise<void>;
}

/**
 * The real Temporal server on a private PostgreSQL, as teams deploy it: builds the pinned binaries
 * once, starts PostgreSQL, sets up the schemas, starts the server (and the Web UI), then creates
 * the namespace with its retention and the project's search attributes. Resolves once a
 * namespace call has succeeded, so the cluster is ready for workers and clients.
 */
export async function startTemporalCluster(options: TemporalClusterOptions): Promise<TemporalCluster> {
  const { output } = options;
  const build = await ensureTemporalServerBuild(output);
  const uiBinary = options.ui === null ? null : await ensureUiServerBuild(output);
  const configDir = mkdtempSync(join(tmpdir(), 'temporal-cluster-'));
  const exits = new ExitWatch();
  let postgres: PrivatePostgres | null = null;
  let server: Supervised | null = null;
  let ui: Supervised | null = null;
  const stop = async () => {
    exits.close();
    for (const process of [ui, server]) if (process !== null) await stopGracefully(process);
    await postgres?.stop();
    rmSync(configDir, { recursive: true, force: true });
  };
  try {
    postgres = await startPrivatePostgres({ port: await freePort(), output });
    exits.watch(postgres.process);
    setUpTemporalSchemas(build, postgres);
    const spawnServer = await prepareTemporalServer({
      binary: build.server,
      configDir,
      port: options.port,
      postgres,
      historyShards: options.historyShards ?? DEFAULT_HISTORY_SHARDS,
      output,
      ...(options.tls === undefined ? {} : { tls: options.tls }),
      ...(options.dynamicConfig === undefined ? {} : { dynamicConfig: options.dynamicConfig }),
    });
    server = spawnServer();
    exits.watch(server);
    const address = `127.0.0.1:${options.port}`;
    const setUpConnection = setUpConnectionOptions(address, options.tls);
    for (const namespace of options.namespaces) {
      await createNamespace(setUpConnection, namespace, options.retentionMs, server);
      await registerSearchAttributes(setUpConnection, namespace);
    }
    await new Promise((resolve) => setTimeout(resolve, 2 * NAMESPACE_CACHE_REFRESH_MS));
    let uiUrl: string | null = null;
    if (options.ui !== null && uiBinary !== null) {
      ui = startTemporalUi(
        {
          binary: uiBinary,
          configDir,
          temporalAddress: address,
          port: options.ui.port,
          namespace: options.namespaces[0],
          ...(options.ui.codecEndpoint === undefined ? {} : { codecEndpoint: options.ui.codecEndpoint }),
        },
        output,
      );
      exits.watch(ui);
      await waitForPort('127.0.0.1', options.ui.port, 60_000, ui);
      uiUrl = `http://127.0.0.1:${options.ui.port}`;
    }
    // Narrowed for the closures below: the server is a new process after each restart, and `server` follows it for `stop`.
    const database = postgres;
    let running = server;
    // A namespace call needs the server and its database: the readiness gate after either restarts.
    const serving = () => createNamespace(setUpConnection, options.namespaces[0], options.retentionMs, running);
    return {
      address,
      uiUrl,
      unexpectedExit: exits.unexpectedExit,
      processIds: () => Object.fromEntries([running, database.process, ...(ui === null ? [] : [ui])].flatMap(({ name, child }) => (child.pid === undefined ? [] : [[name, child.pid]]))),
      kill: async (part) => {
        if (part === 'postgres') {
          exits.expectExit(database.process);
          return database.kill();
        }
        exits.expectExit(running);
        running.child.kill('SIGKILL');
        await running.exited;
      },
      restart: async (part) => {
        if (part === 'postgres') {
          await database.restart();
          exits.watch(database.process);
        } else {
          if (!hasExited(running)) throw new Error('the Temporal server is still running: kill it before restarting it');
          running = server = spawnServer();
          exits.watch(running);
        }
        await serving();
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** The set-up's own calls: plain on a plain cluster, else with the server's certificate, as its system worker connects. */
function setUpConnectionOptions(address: string, tls: ServerTls | undefined): TemporalConnectionOptions {
  if (tls === undefined) return { address };
  return {
    address,
    tls: { serverNameOverride: tls.serverName, serverRootCACertificate: readFileSync(tls.ca), clientCertPair: { crt: readFileSync(tls.cert), key: readFileSync(tls.key) } },
  };
}
