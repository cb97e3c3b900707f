import { tmpdir } from 'node:os';
import { spawnPrefixed, stopGracefully, type Supervised } from './processes';

/**
 * The processes of a private stack (bench, drill): their output kept as a tail unless shown live,
 * a report when one exits that nobody stopped, and an ordered stop. A process can be replaced
 * (killed and started again) under the same name.
 */
export class StackProcesses {
  private readonly running: Supervised[] = [];
  private readonly outputTail: string[] = [];
  private readonly intentionalExits = new WeakSet<Supervised>();
  private stopping = false;
  private reportExit: (reason: string) => void = () => undefined;
  /** Resolves, naming the process, if one exits that neither `kill` nor `stopAll` ended; never after stopAll. */
  readonly unexpectedExit = new Promise<string>((resolve) => (this.reportExit = resolve));
  // Children have their own process groups (Ctrl-C reaches only the parent, which stops them in
  // order), so they would outlive a parent that crashed unless told to go.
  private readonly killOnExit = () => this.running.forEach((child) => child.child.kill('SIGTERM'));

  constructor(
    private readonly verbose: boolean,
    private readonly keptLines = 200,
  ) {
    process.once('exit', this.killOnExit);
  }

  /** Where children's lines go: printed when verbose, always kept as a tail for a failure report. */
  readonly collect = (line: string): void => {
    if (this.verbose) process.stdout.write(`${line}\n`);
    this.outputTail.push(line);
    if (this.outputTail.length > this.keptLines) this.outputTail.shift();
  };

  /** Starts a built app with node, away from the repository so a developer's .env cannot change it. */
  spawnApp(name: string, entryPoint: string, env: NodeJS.ProcessEnv): Supervised {
    return this.track(spawnPrefixed(name, process.execPath, [entryPoint], { env, cwd: tmpdir(), output: this.collect, ownProcessGroup: true }));
  }

  /** Supervises a process started elsewhere (with `collect` as its output and its own process group). */
  track(child: Supervised): Supervised {
    const previous = this.running.findIndex((other) => other.name === child.name);
    if (previous >= 0) this.running.splice(previous, 1, child);
    else this.running.push(child);
    void child.exited.then((code) => {
      if (!this.stopping && !this.intentionalExits.has(child)) this.reportExit(`${child.name} exited (${code})`);
    });
    return child;
  }

  /** kill -9: no shutdown hooks, in-flight work simply lost. Resolves once the process is gone. */
  async kill(name: string): Promise<void> {
    const child = this.byName(name);
    this.intentionalExits.add(child);
    child.child.kill('SIGKILL');
    await child.exited;
  }

  pid(name: string): number | undefined {
    return this.byName(name).child.pid;
  }

  names(): string[] {
    return this.running.map((child) => child.name);
  }

  recentOutput(): readonly string[] {
    return this.outputTail;
  }

  /** Stops the processes in reverse start order (apps before Temporal), so in-flight work drains. */
  async stopAll(graceMs = 10_000): Promise<void> {
    this.stopping = true;
    for (const child of [...this.running].reverse()) await stopGracefully(child, graceMs);
    process.removeListener('exit', this.killOnExit);
  }

  private byName(name: string): Supervised {
    const child = this.running.find((candidate) => candidate.name === name);
    if (child === undefined) throw new Error(`no process named ${name} in the stack`);
    return child;
  }
}
