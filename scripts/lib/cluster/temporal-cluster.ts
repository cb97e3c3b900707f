import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TemporalConnectionOptions } from '../../../libs/config/src';
import { registerSearchAttributes } from '../../register-search-attributes';
import { freePort } from '../free-port';
import { stopGracefully, waitForPort, type Supervised } from '../processes';
import { startPrivatePostgres, type PrivatePostgres } from './private-postgres';
import { ensureTemporalServerBuild, ensureUiServerBuild } from './temporal-build';
import { setUpTemporalSchemas } from './temporal-schema';
import { createNamespace, startTemporalServer, type ServerTls } from './temporal-server';
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
  output: (line: string) => void;
}

export interface TemporalCluster {
  address: string;
  uiUrl: string | null;
  /** The cluster's processes, to watch for one that exits unasked. */
  processes: readonly Supervised[];
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
  const started: Supervised[] = [];
  let postgres: PrivatePostgres | null = null;
  const stop = async () => {
    for (const process of [...started].reverse()) await stopGracefully(process);
    await postgres?.stop();
    rmSync(configDir, { recursive: true, force: true });
  };
  try {
    postgres = await startPrivatePostgres({ port: await freePort(), output });
    setUpTemporalSchemas(build, postgres);
    const server = await startTemporalServer({
      binary: build.server,
      configDir,
      port: options.port,
      postgres,
      historyShards: options.historyShards ?? DEFAULT_HISTORY_SHARDS,
      output,
      ...(options.tls === undefined ? {} : { tls: options.tls }),
    });
    started.push(server);
    const address = `127.0.0.1:${options.port}`;
    const setUpConnection = setUpConnectionOptions(address, options.tls);
    for (const namespace of options.namespaces) {
      await createNamespace(setUpConnection, namespace, options.retentionMs, server);
      await registerSearchAttributes(setUpConnection, namespace);
    }
    await new Promise((resolve) => setTimeout(resolve, 2 * NAMESPACE_CACHE_REFRESH_MS));
    let uiUrl: string | null = null;
    if (options.ui !== null && uiBinary !== null) {
      const ui = startTemporalUi(
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
      started.push(ui);
      await waitForPort('127.0.0.1', options.ui.port, 60_000, ui);
      uiUrl = `http://127.0.0.1:${options.ui.port}`;
    }
    return { address, uiUrl, processes: started, stop };
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
