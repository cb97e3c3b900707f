/**
 * Work the simulator does after an API call has been answered: notification deliveries, their
 * retries and delays, and pending orders and advanced payments settling by themselves. Every timer is unref'd, so none
 * keeps the process alive, and `cancelAll()` (on reset and on close) clears the timers and aborts
 * the requests in flight.
 */
export class BackgroundTasks {
  private readonly timers = new Set<NodeJS.Timeout>();
  private controller = new AbortController();

  /** Aborted by the next `cancelAll()`: requests started now listen on it. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Runs `task` after `ms`, unless `cancelAll()` comes first. */
  after(ms: number, task: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      task();
    }, ms);
    timer.unref();
    this.timers.add(timer);
  }

  cancelAll(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.controller.abort();
    this.controller = new AbortController();
  }
}
