import { EventEmitter } from 'node:events';
import type { ChildProcess } from 'node:child_process';
import { ExitWatch } from './exit-watch';
import type { Supervised } from './processes';

/** A process whose exit the test decides. */
function fakeProcess(name: string): { process: Supervised; exit: (code: number) => void } {
  let exit: (code: number) => void = () => undefined;
  const exited = new Promise<number | string>((resolve) => (exit = resolve));
  return { process: { name, child: new EventEmitter() as ChildProcess, exited }, exit };
}

/** What `unexpectedExit` says once pending callbacks have run, or null if it is still pending. */
async function reported(watch: ExitWatch): Promise<string | null> {
  return Promise.race([watch.unexpectedExit, new Promise<null>((resolve) => setImmediate(() => resolve(null)))]);
}

describe('ExitWatch', () => {
  it('reports an exit nobody asked for, naming the process and its code', async () => {
    const watch = new ExitWatch();
    const api = fakeProcess('api');
    watch.watch(api.process);
    api.exit(137);
    expect(await reported(watch)).toBe('api exited (137)');
  });

  it('stays quiet about a process killed on purpose, and reports its restarted successor', async () => {
    const watch = new ExitWatch();
    const first = fakeProcess('temporal-server');
    watch.watch(first.process);
    watch.expectExit(first.process);
    first.exit(9);
    expect(await reported(watch)).toBeNull();
    const second = fakeProcess('temporal-server');
    watch.watch(second.process);
    second.exit(1);
    expect(await reported(watch)).toBe('temporal-server exited (1)');
  });

  it("reports another group's exits as its own, and nothing once closed", async () => {
    const stackWatch = new ExitWatch();
    const clusterWatch = new ExitWatch();
    stackWatch.include(clusterWatch.unexpectedExit);
    const postgres = fakeProcess('postgres');
    clusterWatch.watch(postgres.process);
    postgres.exit(2);
    expect(await reported(stackWatch)).toBe('postgres exited (2)');

    const closed = new ExitWatch();
    const worker = fakeProcess('worker');
    closed.watch(worker.process);
    closed.close();
    worker.exit(0);
    expect(await reported(closed)).toBeNull();
  });
});
