/**
 * The notifications this API instance passed on most recently, by the change their body names and
 * by what their signature signed (`signed:<digest>`, never a change's name: those hold `|` or
 * start `request:` or `sha256:`), so a resend, or a replay with any body, is answered 200
 * `duplicate` without a call to Temporal. Bounded: the least recently seen is forgotten first
 * (a Map keeps insertion order, and a seen entry is moved to the end). Forgetting only costs a
 * signal, which the follow-up de-duplicates too, across API instances.
 */
export class RecentNotifications {
  private readonly seen = new Map<string, true>();

  constructor(private readonly capacity: number) {}

  /** Whether this change or signature, for the merchant's follow-up, was passed on recently; counts as a use. */
  has(merchant: string, followUpId: string, name: string): boolean {
    const key = keyOf(merchant, followUpId, name);
    if (!this.seen.delete(key)) return false;
    this.seen.set(key, true);
    return true;
  }

  remember(merchant: string, followUpId: string, name: string): void {
    const key = keyOf(merchant, followUpId, name);
    this.seen.delete(key);
    this.seen.set(key, true);
    if (this.seen.size > this.capacity) this.seen.delete(this.seen.keys().next().value!);
  }
}

/** Merchant names and follow-up ids never hold a newline, so the key is unambiguous. */
function keyOf(merchant: string, followUpId: string, name: string): string {
  return `${merchant}\n${followUpId}\n${name}`;
}
