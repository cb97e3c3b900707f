import { PendingSettlements, type PendingSettlementDependencies } from '../settlements/pending-settlements';
import { settleOrder } from './order-lifecycle';
import type { Order } from './order-model';
import type { OrderStore } from './order-store';

export type OrderSettlementDependencies = Pick<PendingSettlementDependencies<Order>, 'pendingSettleMs' | 'tasks' | 'clock'> & { orders: OrderStore };

/** Orders that wait: a CONT order (`processing`) settles by itself, a CHAL one only through the control. */
export function orderSettlements({ orders, ...rest }: OrderSettlementDependencies): PendingSettlements<Order> {
  return new PendingSettlements<Order>({
    ...rest,
    records: orders,
    idOf: (order) => order.id,
    settle: settleOrder,
    settlesByItself: (order) => order.status === 'processing',
  });
}
