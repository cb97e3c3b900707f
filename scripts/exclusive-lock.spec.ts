import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * scripts/exclusive-lock.mjs is what keeps two `npm run start:*` commands from installing and
 * building in one folder at once. Those are separate processes, so each holder here is one too
 * (a plain-JS module run by node, as the bootstrap runs it), contending for one lock file.
 */
const MODULE_URL = pathToFileURL(join(__dirname, 'exclusive-lock.mjs')).href;

/**
 * A process that takes the lock, logs `start <name>`, holds it for `hold` (milliseconds, or until a
 * file exists, 10 s at most), logs `end <name>`, and exits (releasing it on exit, as the bootstrap
 * does). `then` replaces the normal end: 'throw' fails after taking the lock, 'hang' holds it until
 * a signal arrives.
 */
function holder(lock: string, log: string, name: string, hold: number | { untilFile: string }, then: 'exit' | 'throw' | 'hang' = 'exit'): ChildProcess {
  const holding =
    typeof hold === 'number'
      ? `await new Promise((resolve) => setTimeout(resolve, ${hold}));`
      : `for (let polls = 0; polls < 500 && !existsSync(${JSON.stringify(hold.untilFile)}); polls += 1) await new Promise((resolve) => setTimeout(resolve, 20));`;
  const program = `
    import { appendFileSync, existsSync } from 'node:fs';
    import { acquireLock, releaseOnExit } from ${JSON.stringify(MODULE_URL)};
    const release = await acquireLock(${JSON.stringify(lock)}, { pollMs: 20, onWait: (pid) => appendFileSync(${JSON.stringify(log)}, 'wait ${name} ' + pid + '\\n') });
    releaseOnExit(release);
    appendFileSync(${JSON.stringify(log)}, 'start ${name}\\n');
    ${holding}
    ${then === 'throw' ? "throw new Error('failed while holding the lock');" : ''}
    ${then === 'hang' ? 'setInterval(() => {}, 1000);' : `appendFileSync(${JSON.stringify(log)}, 'end ${name}\\n');`}
  `;
  return spawn(process.execPath, ['--input-type=module', '-e', program], { stdio: ['ignore', 'ignore', 'pipe'] });
}

function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

function logLines(log: string): string[] {
  return existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : [];
}

async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting for the holder');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The pid of a process that has exited: what a lock left by `kill -9` names. */
function deadPid(): number {
  const gone = spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' });
  return Number(gone.stdout.trim());
}

describe('scripts/exclusive-lock.mjs', () => {
  let dir: string;
  let lock: string;
  let log: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'exclusive-lock-'));
    lock = join(dir, '.bootstrap.lock');
    log = join(dir, 'log');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('lets two holders started together hold it one after the other; the second says once that it waits', async () => {
    // The first holds the lock until the second is seen waiting: no race with process start-up.
    const released = join(dir, 'release-first');
    const first = holder(lock, log, 'first', { untilFile: released });
    await until(() => logLines(log).includes('start first'));
    const second = holder(lock, log, 'second', 50);
    await until(() => logLines(log).some((line) => line.startsWith('wait second')));
    writeFileSync(released, '');

    await Promise.all([exited(first), exited(second)]);

    expect(logLines(log)).toEqual(['start first', `wait second ${first.pid}`, 'end first', 'start second', 'end second']);
    expect(existsSync(lock)).toBe(false);
  });

  it('serializes several holders started at the same instant', async () => {
    const names = ['a', 'b', 'c', 'd'];
    const holders = names.map((name) => holder(lock, log, name, 100));

    await Promise.all(holders.map(exited));

    const spans = logLines(log).filter((line) => !line.startsWith('wait '));
    expect(spans).toHaveLength(names.length * 2);
    for (let i = 0; i < spans.length; i += 2) {
      expect(spans[i + 1]).toBe(spans[i]!.replace('start', 'end'));
    }
    expect(existsSync(lock)).toBe(false);
  });

  it('takes over a lock whose owner died without releasing it, without waiting', async () => {
    writeFileSync(lock, `${deadPid()}\n`);

    const result = await exited(holder(lock, log, 'next', 0));

    expect(result.code).toBe(0);
    expect(logLines(log)).toEqual(['start next', 'end next']);
    expect(existsSync(lock)).toBe(false);
  });

  it('lets exactly one of two waiters take over the same stale lock', async () => {
    writeFileSync(lock, `${deadPid()}\n`);

    await Promise.all([holder(lock, log, 'a', 200), holder(lock, log, 'b', 200)].map(exited));

    const spans = logLines(log).filter((line) => !line.startsWith('wait '));
    expect([
      ['start a', 'end a', 'start b', 'end b'],
      ['start b', 'end b', 'start a', 'end a'],
    ]).toContainEqual(spans);
    expect(existsSync(lock)).toBe(false);
  });

  it('releases the lock when the holder fails', async () => {
    const result = await exited(holder(lock, log, 'failing', 0, 'throw'));

    expect(result.code).not.toBe(0);
    expect(existsSync(lock)).toBe(false);
  });

  it.each(['SIGINT', 'SIGTERM'] as const)('releases the lock on %s, and the holder still ends by that signal', async (signal) => {
    const hanging = holder(lock, log, 'hanging', 0, 'hang');
    await until(() => logLines(log).includes('start hanging'));
    expect(readFileSync(lock, 'utf8').trim()).toBe(String(hanging.pid));

    hanging.kill(signal);

    expect(await exited(hanging)).toEqual({ code: null, signal });
    expect(existsSync(lock)).toBe(false);
  });
});
