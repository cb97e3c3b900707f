import type { Supervised } from './processes';

/**
 * Tells when a process of a group (a stack, a cluster) exits unasked. The group kills, restarts
 * and stops its processes itself and says so first; any other exit is a failure to report at
 * once, instead of surfacing later as puzzling 500s or timeouts.
 */
export class ExitWatch {
  private readonly intended = new WeakSet<Supervised>();
  private closed = false;
  private report: (reason: string) => void = () => undefined;
  /** Resolves, naming the process, at the first exit nobody asked for. */
  readonly unexpectedExit = new Promise<string>((resolve) => (this.report = resolve));

  watch(process: Supervised): void {
    void process.exited.then((code) => {
      if (!this.closed && !this.intended.has(process)) this.report(`${process.name} exited (${code})`);
    });
  }

  /** The process is about to be killed or stopped on purpose. */
  expectExit(process: Supervised): void {
    this.intended.add(process);
  }

  /** Another group's unexpected exits (what this group stands on) count as this group's. */
  include(other: Promise<string>): void {
    void other.then((reason) => {
      if (!this.closed) this.report(reason);
    });
  }

  /** The group is stopping: every exit from now on is asked for. */
  close(): void {
    this.closed = true;
  }
}
