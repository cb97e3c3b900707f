import { rfc3339Millis, type Clock } from '../clock';
import { RecentEntries } from '../recent-entries';

/** One API call as the simulator saw it. Serialised as it is by `GET /__simulator/journal`. */
export interface JournalEntry {
  time: string;
  method: string;
  path: string;
  /** The matched route template, or null for an unknown route. */
  route: string | null;
  order_id: string | null;
  idempotency_key: string | null;
  /** null while unanswered, and for good when no response was ever sent (hang, drop, lose_response). */
  status: number | null;
  /** True only when this call changed the simulator's state. */
  effect: boolean;
  /** Why the call ended as it did: `replayed`, `locked`, `key_reused`, `fault:drop`, … joined with `+`. */
  note?: string;
}

export interface JournalFilter {
  idempotencyKey?: string;
  orderId?: string;
  route?: string;
}

/** The most recent entries kept (RecentEntries: a tenth more at times), so a long benchmark cannot exhaust memory. */
const KEPT_ENTRIES = 100_000;

export class Journal {
  private readonly entries = new RecentEntries<JournalEntry>(KEPT_ENTRIES);

  constructor(private readonly clock: Clock) {}

  /** Adds an entry and returns it: the pipeline fills in status, effect and notes as the call proceeds. */
  open(call: Pick<JournalEntry, 'method' | 'path' | 'route' | 'order_id' | 'idempotency_key'>): JournalEntry {
    const entry: JournalEntry = { time: rfc3339Millis(this.clock.nowMs()), ...call, status: null, effect: false };
    this.entries.add(entry);
    return entry;
  }

  list(filter: JournalFilter): JournalEntry[] {
    return this.entries.filter(
      (entry) =>
        (filter.idempotencyKey === undefined || entry.idempotency_key === filter.idempotencyKey) &&
        (filter.orderId === undefined || entry.order_id === filter.orderId) &&
        (filter.route === undefined || entry.route === filter.route),
    );
  }

  clear(): void {
    this.entries.clear();
  }
}

export function addNote(entry: JournalEntry, note: string): void {
  entry.note = entry.note === undefined ? note : `${entry.note}+${note}`;
}
