import type { BackgroundTasks } from '../background-tasks';
import type { Clock } from '../clock';

export type SettlementOutcome = 'approved' | 'declined';

export interface PendingSettlementDependencies<Record> {
  /** Any owner's records: the timers and the settle control have no access token. */
  records: { findAnyOwner(id: string): Record | undefined; save(record: Record): void };
  idOf: (record: Record) => string;
  /** The record settled now, or undefined when it is not waiting. */
  settle: (record: Record, outcome: SettlementOutcome, nowMs: number) => Record | undefined;
  /** A record just saved that waits for a review ending by itself (CONT), not for the buyer (CHAL). */
  settlesByItself: (record: Record) => boolean;
  /** Read when a record starts waiting; 0 leaves it waiting until a settle control call. */
  pendingSettleMs: () => number;
  tasks: BackgroundTasks;
  clock: Clock;
}

export type SettleResult<Record> = { kind: 'settled'; record: Record } | { kind: 'not_found' } | { kind: 'not_waiting'; record: Record };

/**
 * Ends the wait of records (orders, advanced payments) that depend on something outside the API.
 * In Mercado Pago a CONT payment's review ends on its own some time later and a 3-D Secure
 * challenge ends when the buyer completes it; here the first happens after a configurable delay,
 * the second through a control call.
 */
export class PendingSettlements<Record> {
  constructor(private readonly dependencies: PendingSettlementDependencies<Record>) {}

  /** A record that just started a review that ends by itself is approved once the delay has passed. */
  changed(record: Record): void {
    const { settlesByItself, pendingSettleMs, idOf, tasks } = this.dependencies;
    const delayMs = pendingSettleMs();
    if (!settlesByItself(record) || delayMs === 0) return;
    const id = idOf(record);
    // A settle control call may get there first; the timer then finds the record no longer waiting.
    tasks.after(delayMs, () => this.settle(id, 'approved'));
  }

  /** Settles a waiting record now; saving it notifies like any other change. */
  settle(id: string, outcome: SettlementOutcome): SettleResult<Record> {
    const { records, settle, clock } = this.dependencies;
    const record = records.findAnyOwner(id);
    if (record === undefined) return { kind: 'not_found' };
    const settled = settle(record, outcome, clock.nowMs());
    if (settled === undefined) return { kind: 'not_waiting', record };
    records.save(settled);
    return { kind: 'settled', record: settled };
  }
}
