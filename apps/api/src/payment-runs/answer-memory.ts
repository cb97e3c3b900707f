import type { PaymentWriteResult } from '@app/contracts';
import { renderOnce } from '../http/problems/http-answer';

/** A completed run's final answer, as every later request with its key receives it. */
export interface RememberedAnswer {
  /** The fingerprint of the request that owns the key: another request gets 409. */
  fingerprint: string;
  runId: string;
  result: PaymentWriteResult;
}

interface Entry extends RememberedAnswer {
  bytes: number;
  expiresAt: number;
}

/** Strings, the run id and the map's own bookkeeping, roughly: the bound is about memory, not exact. */
const ENTRY_OVERHEAD_BYTES = 200;

/**
 * The answers of completed runs this API instance has seen, so that replays and key reuses of a
 * finished key are answered without calling Temporal. Safe because a run that completed with a
 * final answer holds its key under REJECT_DUPLICATE: no later start can replace it, so its answer
 * cannot change while Temporal remembers the key (docs/architecture.md, "The answer memory").
 *
 * Bounded in bytes, least recently used first out; each entry expires at the time it was given,
 * which callers keep within the namespace's retention.
 */
export class AnswerMemory {
  private readonly entries = new Map<string, Entry>();
  private bytes = 0;

  constructor(
    private readonly maxBytes: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** The key's remembered answer, or null when none (or only an expired one) is held. */
  recall(idempotencyKey: string): RememberedAnswer | null {
    const entry = this.entries.get(idempotencyKey);
    if (entry === undefined) return null;
    this.forget(idempotencyKey, entry);
    if (entry.expiresAt <= this.now()) return null;
    // Re-inserted last: the Map's order is the eviction order.
    this.entries.set(idempotencyKey, entry);
    this.bytes += entry.bytes;
    return entry;
  }

  /** Whether `recall` would answer now, without counting as a use (the replay front asks before taking a request). */
  holds(idempotencyKey: string): boolean {
    const entry = this.entries.get(idempotencyKey);
    return entry !== undefined && entry.expiresAt > this.now();
  }

  remember(idempotencyKey: string, answer: RememberedAnswer, expiresAt: number): void {
    const text = JSON.stringify(answer.result.body);
    // UTF-16 estimates of the key, the body and its text, which is kept rendered for the replays.
    const bytes = ENTRY_OVERHEAD_BYTES + 2 * idempotencyKey.length + 4 * text.length;
    const previous = this.entries.get(idempotencyKey);
    if (previous !== undefined) this.forget(idempotencyKey, previous);
    if (bytes > this.maxBytes || expiresAt <= this.now()) return;
    for (const [key, oldest] of this.entries) {
      if (this.bytes + bytes <= this.maxBytes) break;
      this.forget(key, oldest);
    }
    this.entries.set(idempotencyKey, { ...answer, bytes, expiresAt });
    this.bytes += bytes;
    // A run's final answer never changes: its text serves every replay.
    renderOnce(answer.result.body, text);
  }

  /** Bytes held, by the same estimate the bound uses. */
  get size(): { entries: number; bytes: number } {
    return { entries: this.entries.size, bytes: this.bytes };
  }

  private forget(idempotencyKey: string, entry: Entry): void {
    this.entries.delete(idempotencyKey);
    this.bytes -= entry.bytes;
  }
}
