import type { BackgroundTasks } from '../background-tasks';
import type { Clock } from '../clock';
import { settleOrder, type SettlementOutcome } from './order-lifecycle';
import type { Order } from './order-model';
import type { OrderStore } from './order-store';

export interface PendingSettlementDependencies {
  orders: OrderStore;
  /** Read when an order starts waiting; 0 leaves it waiting until a settle control call. */
  pendingSettleMs: () => number;
  tasks: BackgroundTasks;
  clock: Clock;
}

export type SettleResult = { kind: 'settled'; order: Order } | { kind: 'not_found' } | { kind: 'not_waiting'; order: Order };

/**
 * Ends the wait of orders that depend on something outside the API. In Mercado Pago a CONT
 * payment's review ends on its own some time later and a 3-D Secure challenge ends when the buyer
 * completes it; here the first happens after a configurable delay, the second through a control call.
 */
export class PendingSettlements {
  constructor(private readonly dependencies: PendingSettlementDependencies) {}

  /** A CONT order that just went to `processing` is approved once the delay has passed. */
  orderChanged(order: Order): void {
    const delayMs = this.dependencies.pendingSettleMs();
    if (order.status !== 'processing' || delayMs === 0) return;
    // A settle control call may get there first; the timer then finds the order no longer waiting.
    this.dependencies.tasks.after(delayMs, () => this.settle(order.id, 'approved'));
  }

  /** Settles a waiting order now; saving it notifies like any other change. */
  settle(orderId: string, outcome: SettlementOutcome): SettleResult {
    const { orders, clock } = this.dependencies;
    const order = orders.findAnyOwner(orderId);
    if (!order) return { kind: 'not_found' };
    const settled = settleOrder(order, outcome, clock.nowMs());
    if (!settled) return { kind: 'not_waiting', order };
    orders.save(settled);
    return { kind: 'settled', order: settled };
  }
}
