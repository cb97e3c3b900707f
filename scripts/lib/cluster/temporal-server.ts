import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import type { TemporalConnectionOptions } from '../../../libs/config/src';
import { freePort } from '../free-port';
import { spawnPrefixed, type Supervised } from '../processes';
import { freeMembershipPort } from './membership-port';
import type { PrivatePostgres } from './private-postgres';
import { SQL_PLUGIN, TEMPORAL_DATABASES } from './temporal-schema';

const READY_TIMEOUT_MS = 60_000;
/** Connection pools of the two stores, as development-postgres12.yaml sizes them. */
export const DATASTORE_MAX_CONNS = { default: 20, visibility: 2 } as const;
/** gRPC's ALREADY_EXISTS: the namespace is there from an earlier start. */
const GRPC_ALREADY_EXISTS = 6;

/** Server-side TLS for the frontend, every file PEM: clients must present a certificate `ca` signed. */
export interface ServerTls {
  ca: string;
  cert: string;
  key: string;
  /** A name `cert` holds, which the server's own system worker checks when it connects. */
  serverName: string;
}

export interface TemporalServerOptions {
  binary: string;
  /** Where the generated configuration file goes (it holds the database password: a private folder). */
  configDir: string;
  /** The frontend's port on 127.0.0.1; the other services take free ports. */
  port: number;
  postgres: PrivatePostgres;
  /** History shards: fixed for the life of the database (docs/operations.md). */
  historyShards: number;
  tls?: ServerTls;
  /**
   * Dynamic configuration keys and their values (common/dynamicconfig/constants.go), for the whole
   * cluster; none leaves every default, as a new deployment has them.
   */
  dynamicConfig?: Readonly<Record<string, string | number | boolean>>;
  output: (line: string) => void;
}

/**
 * The server's configuration, after the module's config/development-postgres12.yaml: every
 * service in one process, each bound to 127.0.0.1 (`bindOnLocalHost`), no pprof, HTTP API or
 * metrics listener (a port 0 or an absent section turns each off), archival off. JSON is YAML.
 */
async function serverConfig(options: TemporalServerOptions, dynamicConfigFile: string | null): Promise<object> {
  const { postgres } = options;
  const datastore = (databaseName: string, maxConns: number) => ({
    sql: {
      pluginName: SQL_PLUGIN,
      databaseName,
      connectAddr: `${postgres.host}:${postgres.port}`,
      connectProtocol: 'tcp',
      user: postgres.user,
      password: postgres.password,
      maxConns,
      maxIdleConns: maxConns,
      maxConnLifetime: '1h',
    },
  });
  const rpc = async (grpcPort: number) => ({ rpc: { grpcPort, membershipPort: await freeMembershipPort(), bindOnLocalHost: true } });
  const tls = options.tls;
  return {
    log: { stdout: true, level: 'warn' },
    persistence: {
      defaultStore: 'postgres-default',
      visibilityStore: 'postgres-visibility',
      numHistoryShards: options.historyShards,
      datastores: {
        'postgres-default': datastore(TEMPORAL_DATABASES.default, DATASTORE_MAX_CONNS.default),
        'postgres-visibility': datastore(TEMPORAL_DATABASES.visibility, DATASTORE_MAX_CONNS.visibility),
      },
    },
    global: {
      membership: { maxJoinDuration: '30s', broadcastAddress: '127.0.0.1' },
      ...(tls === undefined
        ? {}
        : {
            tls: {
              frontend: { server: { certFile: tls.cert, keyFile: tls.key, requireClientAuth: true, clientCaFiles: [tls.ca] } },
              // The server's own system worker is a client of the frontend like any other.
              systemWorker: { certFile: tls.cert, keyFile: tls.key, client: { serverName: tls.serverName, rootCaFiles: [tls.ca] } },
            },
          }),
    },
    services: {
      frontend: await rpc(options.port),
      matching: await rpc(await freePort()),
      history: await rpc(await freePort()),
      worker: await rpc(await freePort()),
    },
    clusterMetadata: {
      enableGlobalNamespace: false,
      failoverVersionIncrement: 10,
      masterClusterName: 'active',
      currentClusterName: 'active',
      clusterInformation: { active: { enabled: true, initialFailoverVersion: 1, rpcName: 'frontend', rpcAddress: `127.0.0.1:${options.port}` } },
    },
    dcRedirectionPolicy: { policy: 'noop' },
    ...(dynamicConfigFile === null ? {} : { dynamicConfigClient: { filepath: dynamicConfigFile, pollInterval: '10s' } }),
  };
}

/**
 * Writes the server's configuration once and returns how to start the server with it: the first
 * time and after a crash alike, on the same ports and databases. A start is usable once
 * `createNamespace` has succeeded against it.
 */
export async function prepareTemporalServer(options: TemporalServerOptions): Promise<() => Supervised> {
  const configFile = join(options.configDir, 'temporal-server.yaml');
  let dynamicConfigFile: string | null = null;
  if (options.dynamicConfig !== undefined) {
    // The file's shape (config/dynamicconfig/*.yaml): each key, a list of values with optional constraints.
    dynamicConfigFile = join(options.configDir, 'dynamic-config.yaml');
    const entries = Object.entries(options.dynamicConfig).map(([key, value]) => [key, [{ value }]]);
    writeFileSync(dynamicConfigFile, JSON.stringify(Object.fromEntries(entries), null, 2), { mode: 0o600 });
  }
  writeFileSync(configFile, JSON.stringify(await serverConfig(options, dynamicConfigFile), null, 2), { mode: 0o600 });
  return () => spawnPrefixed('temporal-server', options.binary, ['--config-file', configFile, '--allow-no-auth', 'start'], { output: options.output, ownProcessGroup: true });
}

/**
 * Registers `namespace` with its retention, retrying until the frontend takes it. This is the
 * readiness gate: the server opens its port, and even answers health checks, before it can serve
 * a real call.
 */
export async function createNamespace(connectionOptions: TemporalConnectionOptions, namespace: string, retentionMs: number, server: Supervised): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (let attempt = 1; ; attempt++) {
    if (server.child.exitCode !== null) throw new Error(`the Temporal server exited with code ${server.child.exitCode} while starting`);
    try {
      const connection = await Connection.connect({ ...connectionOptions, connectTimeout: 2_000 });
      try {
        await connection.workflowService.registerNamespace({ namespace, workflowExecutionRetentionPeriod: msToTs(retentionMs) });
        return;
      } finally {
        await connection.close();
      }
    } catch (error) {
      if ((error as { code?: number }).code === GRPC_ALREADY_EXISTS) return;
      if (Date.now() > deadline) throw new Error(`the Temporal server did not register namespace "${namespace}" within ${READY_TIMEOUT_MS} ms (${attempt} attempts)`, { cause: error });
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}
