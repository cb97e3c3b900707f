import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { searchAttributeDeclarations } from '../../libs/contracts/src/search-attributes';
import { spawnPrefixed, waitForPort, type SpawnOptions, type Supervised } from './processes';
import { locateTemporalCli } from './temporal-cli';

export interface DevServerOptions extends SpawnOptions {
  ip: string;
  port: number;
  /** Web UI port; null runs the server headless. */
  uiPort: number | null;
  /** SQLite file that keeps runs across restarts; null keeps them in memory. */
  dbFilename: string | null;
  namespace: string;
  /** More namespaces to create (other merchants'); each gets the search attributes too. */
  otherNamespaces?: readonly string[];
  /** Forwarded to the Web UI, so it decodes payloads through the project's codec server. */
  uiCodecEndpoint?: string;
  /** `PRAGMA=VALUE` statements for the server's SQLite connection (see BENCHMARKS.md). */
  sqlitePragmas?: Readonly<Record<string, string>>;
  /** Dynamic config values, each a JSON value (strings quoted). */
  dynamicConfig?: Readonly<Record<string, string>>;
}

/**
 * For a dev server that keeps its runs in a file: write-ahead logging, and no fsync per commit.
 * Issue 7's experiments (git log -- BENCHMARKS.md) measured the default file store at about half the
 * speed of the in-memory one, and these pragmas bring it back level. The cost: an OS crash or power cut (not a process crash) may
 * lose the last commits or the file; acceptable for local development, never for a real store.
 */
export const FAST_FILE_STORE_PRAGMAS: Readonly<Record<string, string>> = { journal_mode: 'WAL', synchronous: 'OFF' };

/**
 * The dev server has one history shard, and each shard's queue readers (which hand new workflow
 * tasks, activity tasks and timers to matching) may read at most 20 times a second with a burst of
 * 20 (`history.*ProcessorMaxPollRPS`, common/dynamicconfig/constants.go in temporalio/temporal).
 * Sequential payments spend that burst in about a second; after it, every workflow-task dispatch
 * waits for the next token (up to 50 ms): the "3 ms, then 30 ms" stall docs/architecture.md describes.
 * A real cluster spreads this over many shards, so only the one-shard dev server needs more.
 */
export const ONE_SHARD_QUEUE_READER_CONFIG: Readonly<Record<string, string>> = {
  'history.transferProcessorMaxPollRPS': '1000',
  'history.timerProcessorMaxPollRPS': '1000',
  'history.visibilityProcessorMaxPollRPS': '1000',
};

/** Flags for `temporal server start-dev`: the project's search attributes are always registered. */
export function devServerArguments(options: DevServerOptions): string[] {
  const args = ['server', 'start-dev', '--ip', options.ip, '--port', String(options.port), '--namespace', options.namespace, '--log-level', 'warn'];
  for (const namespace of options.otherNamespaces ?? []) args.push('--namespace', namespace);
  for (const declaration of searchAttributeDeclarations) args.push('--search-attribute', declaration);
  if (options.uiPort === null) args.push('--headless');
  else args.push('--ui-port', String(options.uiPort));
  if (options.dbFilename !== null) args.push('--db-filename', options.dbFilename);
  if (options.uiCodecEndpoint !== undefined) args.push('--ui-codec-endpoint', options.uiCodecEndpoint);
  for (const [pragma, value] of Object.entries(options.sqlitePragmas ?? {})) args.push('--sqlite-pragma', `${pragma}=${value}`);
  for (const [key, value] of Object.entries({ ...ONE_SHARD_QUEUE_READER_CONFIG, ...options.dynamicConfig })) args.push('--dynamic-config-value', `${key}=${value}`);
  return args;
}

/** Starts the Temporal CLI's dev server; it is ready once it listens on `devServerPorts(options)`. */
export function spawnTemporalDevServer(options: DevServerOptions): Supervised {
  if (options.dbFilename !== null) mkdirSync(dirname(options.dbFilename), { recursive: true });
  return spawnPrefixed('temporal', locateTemporalCli(options.env), devServerArguments(options), options);
}

/** The frontend's port, and the Web UI's when there is one. */
export function devServerPorts(options: DevServerOptions): number[] {
  return options.uiPort === null ? [options.port] : [options.port, options.uiPort];
}

/** Starts the dev server and resolves once it accepts connections. */
export async function startTemporalDevServer(options: DevServerOptions): Promise<Supervised> {
  const server = spawnTemporalDevServer(options);
  for (const port of devServerPorts(options)) await waitForPort(options.ip, port, 60_000, server);
  return server;
}
