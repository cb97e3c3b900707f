import type { Clock } from '../clock';

/** How long a key remembers its request, as Mercado Pago documents for the Orders API. */
export const IDEMPOTENCY_WINDOW_MS = 24 * 60 * 60 * 1000;

/** Keys are per seller: two access tokens may use the same key for unrelated requests. */
export interface IdempotencyScope {
  accessToken: string;
  key: string;
}

export type IdempotencyDecision<Outcome> =
  /** First use of the key: act, then `complete` (or `abandon` if acting failed). */
  | { kind: 'execute'; complete(outcome: Outcome): void; abandon(): void }
  | { kind: 'replay'; outcome: Outcome }
  /** Same key, different request. */
  | { kind: 'conflict' }
  /** Same key and request, but the first one has not finished. */
  | { kind: 'locked' };

interface KeyRecord<Outcome> {
  fingerprint: string;
  firstSeenMs: number;
  outcome: Outcome | undefined;
}

/**
 * Remembers, per (access token, key), the request's fingerprint and what it answered. The record
 * is created (and so locked) synchronously in `begin`, before the caller awaits anything, so a
 * concurrent duplicate always sees it.
 */
export class IdempotencyStore<Outcome> {
  /** Insertion order is first-seen order, which lets `forgetExpired` stop at the first live record. */
  private readonly records = new Map<string, KeyRecord<Outcome>>();

  constructor(private readonly clock: Clock) {}

  begin(scope: IdempotencyScope, fingerprint: string): IdempotencyDecision<Outcome> {
    const now = this.clock.nowMs();
    this.forgetExpired(now);
    const id = JSON.stringify([scope.accessToken, scope.key]);
    const existing = this.records.get(id);
    if (existing) {
      if (existing.fingerprint !== fingerprint) return { kind: 'conflict' };
      return existing.outcome === undefined ? { kind: 'locked' } : { kind: 'replay', outcome: existing.outcome };
    }
    const record: KeyRecord<Outcome> = { fingerprint, firstSeenMs: now, outcome: undefined };
    this.records.set(id, record);
    return {
      kind: 'execute',
      complete: (outcome) => {
        record.outcome = outcome;
      },
      abandon: () => {
        if (this.records.get(id) === record) this.records.delete(id);
      },
    };
  }

  clear(): void {
    this.records.clear();
  }

  private forgetExpired(now: number): void {
    for (const [id, record] of this.records) {
      if (now - record.firstSeenMs < IDEMPOTENCY_WINDOW_MS) return;
      this.records.delete(id);
    }
  }
}
