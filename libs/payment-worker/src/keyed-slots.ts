/**
 * Slots counted per key, taken without waiting: a counter, not a queue, so nothing is held while
 * a key's slots are full and its caller decides what a refusal means. The worker's upstream calls
 * per merchant (UpstreamHttpClient) and the API's runs in flight per client (ClientQuotas) use it.
 */
export class KeyedSlots {
  private readonly taken = new Map<string, number>();

  /** Takes one of `key`'s `limit` slots and returns its release (idempotent), or null when all are taken. */
  tryTake(key: string, limit: number): (() => void) | null {
    const taken = this.taken.get(key) ?? 0;
    if (taken >= limit) return null;
    this.taken.set(key, taken + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.taken.get(key) ?? 1) - 1;
      if (left === 0) this.taken.delete(key);
      else this.taken.set(key, left);
    };
  }
}
