import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { createInterface } from 'node:readline';

/** A child process whose output lines are prefixed with its name, as the local stack shows them. */
export interface Supervised {
  name: string;
  child: ChildProcess;
  /** Resolves with the exit code (or signal name) once the process has exited. */
  exited: Promise<number | string>;
}

export interface SpawnOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Where prefixed lines go; tests pass a collector to keep output quiet unless a test fails. */
  output?: (line: string) => void;
  /**
   * Keep the child out of the terminal's process group, so Ctrl-C reaches only the parent, which
   * then stops its children in order instead of all at once.
   */
  ownProcessGroup?: boolean;
  /** Run as this user and group (a root launcher starts PostgreSQL as `postgres`: it refuses root). */
  uid?: number;
  gid?: number;
}

export function spawnPrefixed(name: string, command: string, args: readonly string[], options: SpawnOptions = {}): Supervised {
  const child = spawn(command, args, {
    env: options.env ?? process.env,
    cwd: options.cwd,
    detached: options.ownProcessGroup ?? false,
    ...(options.uid === undefined ? {} : { uid: options.uid }),
    ...(options.gid === undefined ? {} : { gid: options.gid }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const write = options.output ?? ((line: string) => process.stdout.write(`${line}\n`));
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => write(`[${name}] ${line}`));
  }
  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown'));
  });
  return { name, child, exited };
}

export function hasExited(process: Supervised): boolean {
  return process.child.exitCode !== null || process.child.signalCode !== null;
}

/** Asks a process to stop, and kills it if it has not stopped within the grace period. */
export async function stopGracefully(process: Supervised, graceMs = 10_000): Promise<void> {
  if (hasExited(process)) return;
  process.child.kill('SIGTERM');
  const timer = setTimeout(() => process.child.kill('SIGKILL'), graceMs);
  await process.exited;
  clearTimeout(timer);
}

/** Waits until something accepts TCP connections on host:port, failing early if `process` exits. */
export async function waitForPort(host: string, port: number, timeoutMs: number, process?: Supervised): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await canConnect(host, port)) return;
    if (process !== undefined && process.child.exitCode !== null) {
      throw new Error(`${process.name} exited with code ${process.child.exitCode} before listening on ${host}:${port}`);
    }
    if (Date.now() > deadline) throw new Error(`nothing listened on ${host}:${port} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function canConnect(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
