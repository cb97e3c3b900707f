import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdtempSync, readdirSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findOnPath, isExecutable } from '../executables';
import { hasExited, spawnPrefixed, stopGracefully, waitForPort, type Supervised } from '../processes';

/** Where Debian and Ubuntu put PostgreSQL's server programs (they are not on PATH there). */
const DEBIAN_POSTGRES_ROOT = '/usr/lib/postgresql';
const READY_TIMEOUT_MS = 60_000;

/** A database server of its own: loopback only, a fresh data folder, removed when it stops. */
export interface PrivatePostgres {
  host: string;
  port: number;
  user: string;
  password: string;
  /** The running server (the postmaster), a new one after each `restart`. */
  readonly process: Supervised;
  /**
   * An immediate shutdown, the nearest thing to a crash PostgreSQL supports (a kill -9 of the
   * postmaster leaves its sessions holding the shared memory, and no new server starts): sessions
   * are cut, no checkpoint is written, and the next start recovers from the write-ahead log.
   */
  kill(): Promise<void>;
  /** Starts the server again on the same data folder and port, resolved once it accepts sessions. */
  restart(): Promise<void>;
  /** Stops the server and removes its data. */
  stop(): Promise<void>;
}

export interface PrivatePostgresOptions {
  port: number;
  output: (line: string) => void;
}

/**
 * Starts PostgreSQL from the system's packages on 127.0.0.1:`port`, with a superuser `temporal`
 * whose random password only this process knows. Run as root, it runs PostgreSQL as the
 * `postgres` user, since initdb and postgres refuse root.
 */
export async function startPrivatePostgres({ port, output }: PrivatePostgresOptions): Promise<PrivatePostgres> {
  const bin = postgresBinDir();
  const owner = process.getuid?.() === 0 ? postgresAccount() : null;
  const home = mkdtempSync(join(tmpdir(), 'temporal-postgres-'));
  const data = join(home, 'data');
  const user = 'temporal';
  const password = randomBytes(18).toString('base64url');
  const passwordFile = join(home, 'password');
  writeFileSync(passwordFile, password, { mode: 0o600 });
  if (owner !== null) {
    chownSync(home, owner.uid, owner.gid);
    chownSync(passwordFile, owner.uid, owner.gid);
  }
  const asOwner = owner === null ? {} : { uid: owner.uid, gid: owner.gid };
  const initdb = spawnSync(join(bin, 'initdb'), ['-D', data, '-U', user, `--pwfile=${passwordFile}`, '--auth=scram-sha-256', '--encoding=UTF8', '--locale=C'], {
    ...asOwner,
    cwd: home,
    encoding: 'utf8',
  });
  rmSync(passwordFile);
  if (initdb.status !== 0) {
    rmSync(home, { recursive: true, force: true });
    throw new Error(`initdb failed: ${initdb.stderr || initdb.error?.message}`);
  }
  // Loopback only, and the socket in the data folder's parent, not the system's /var/run.
  const spawnServer = () =>
    spawnPrefixed('postgres', join(bin, 'postgres'), ['-D', data, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-k', home], {
      ...asOwner,
      cwd: home,
      output,
      ownProcessGroup: true,
    });
  const awaitReady = async (started: Supervised) => {
    await waitForPort('127.0.0.1', port, READY_TIMEOUT_MS, started);
    await waitUntilAcceptingSessions(bin, port, started);
  };
  let server = spawnServer();
  /** Signals the postmaster (SIGINT: fast shutdown, SIGQUIT: immediate) and waits until it has gone. */
  const shutDown = async (signal: NodeJS.Signals) => {
    if (!hasExited(server)) server.child.kill(signal);
    await stopGracefully(server);
  };
  const stop = async () => {
    // The fast shutdown: open sessions are ended, nothing is lost.
    await shutDown('SIGINT');
    rmSync(home, { recursive: true, force: true });
  };
  try {
    await awaitReady(server);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    host: '127.0.0.1',
    port,
    user,
    password,
    get process() {
      return server;
    },
    kill: () => shutDown('SIGQUIT'),
    restart: async () => {
      if (!hasExited(server)) throw new Error('PostgreSQL is still running: kill it before restarting it');
      server = spawnServer();
      await awaitReady(server);
    },
    stop,
  };
}

/** The port opens before recovery ends; pg_isready says when sessions are accepted. */
async function waitUntilAcceptingSessions(bin: string, port: number, server: Supervised): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (spawnSync(join(bin, 'pg_isready'), ['-q', '-h', '127.0.0.1', '-p', String(port)]).status !== 0) {
    if (server.child.exitCode !== null) throw new Error(`postgres exited with code ${server.child.exitCode} while starting`);
    if (Date.now() > deadline) throw new Error(`PostgreSQL did not accept sessions within ${READY_TIMEOUT_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * The folder of initdb on PATH (Homebrew, most distributions), else Debian's newest version
 * folder. A link on PATH is followed: pg_isready and postgres are beside the real initdb.
 */
function postgresBinDir(): string {
  const onPath = findOnPath('initdb', process.env.PATH ?? '');
  if (onPath !== null) return join(realpathSync(onPath), '..');
  const versions = existsSync(DEBIAN_POSTGRES_ROOT) ? readdirSync(DEBIAN_POSTGRES_ROOT).filter((version) => isExecutable(join(DEBIAN_POSTGRES_ROOT, version, 'bin/initdb'))) : [];
  const newest = versions.sort((a, b) => Number(b) - Number(a))[0];
  if (newest === undefined) {
    throw new Error('PostgreSQL is needed for the cluster: install its server (apt-get install postgresql on Debian and Ubuntu), or put its initdb and postgres on PATH.');
  }
  return join(DEBIAN_POSTGRES_ROOT, newest, 'bin');
}

function postgresAccount(): { uid: number; gid: number } {
  try {
    const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    throw new Error('Run as root, PostgreSQL needs a `postgres` user to run as (it refuses root); the postgresql package creates one.');
  }
}
