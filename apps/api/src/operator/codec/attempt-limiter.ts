/**
 * Counts failures per client in fixed windows, in memory: enough to slow token guessing on one
 * API process without a shared store (each replica counts on its own). Windows are kept in the
 * order they opened, so expired ones are dropped from the front at no more than constant
 * amortized cost, and memory stays bounded by the clients seen within one window.
 */
export class AttemptLimiter {
  private readonly windows = new Map<string, { openedAt: number; failures: number }>();

  constructor(
    private readonly maxFailures: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Seconds `client` must wait before trying again, or null when it may try now. */
  retryAfterSeconds(client: string): number | null {
    const now = this.now();
    this.forgetExpired(now);
    const window = this.windows.get(client);
    if (window === undefined || window.failures < this.maxFailures) return null;
    return Math.max(1, Math.ceil((window.openedAt + this.windowMs - now) / 1000));
  }

  recordFailure(client: string): void {
    const now = this.now();
    this.forgetExpired(now);
    const window = this.windows.get(client);
    if (window === undefined) this.windows.set(client, { openedAt: now, failures: 1 });
    else window.failures += 1;
  }

  private forgetExpired(now: number): void {
    for (const [client, window] of this.windows) {
      if (now - window.openedAt < this.windowMs) return;
      this.windows.delete(client);
    }
  }
}
