import { BackgroundTasks } from '../background-tasks';
import { ManualClock } from '../testing/simulator-harness';
import { pause } from '../testing/notification-receiver';
import type { Order } from './order-model';
import { OrderStore } from './order-store';
import { orderSettlements } from './order-settlements';

/** A CONT order just processed: what the timer of a pending settlement looks for. */
function waitingOrder(): Order {
  return {
    id: 'ORD01J49MMW3SSBK5PSV3DFR32959',
    ownerToken: 'APP_USR-test',
    userId: '1',
    processingMode: 'automatic',
    captureMode: 'automatic',
    totalCents: 1000,
    status: 'processing',
    statusDetail: 'in_process',
    createdAtMs: 0,
    updatedAtMs: 0,
    version: 2,
    payments: [
      {
        id: 'PAY01J49MMW3SSBK5PSV3DFR32959',
        referenceId: '01J49MMW3SSBK5PSV3DFR32959',
        amountCents: 1000,
        refundedCents: 0,
        status: 'processing',
        statusDetail: 'pending_review_manual',
        paymentMethod: { id: 'master', type: 'credit_card', token: 't', installments: 1 },
      },
    ],
    refunds: [],
  };
}

describe('order settlements', () => {
  const start = () => {
    const tasks = new BackgroundTasks();
    const changes: Order[] = [];
    const orders: OrderStore = new OrderStore((order) => {
      changes.push(order);
      settlements.changed(order);
    });
    const settlements = orderSettlements({ orders, pendingSettleMs: () => 50, tasks, clock: new ManualClock() });
    return { tasks, orders, changes };
  };

  it('approve a processing order once the delay has passed', async () => {
    const { tasks, orders, changes } = start();
    orders.save(waitingOrder());
    await pause(150);

    expect(orders.findAnyOwner(waitingOrder().id)).toMatchObject({ status: 'processed', statusDetail: 'accredited', version: 3 });
    expect(changes).toHaveLength(2);
    tasks.cancelAll();
  });

  it('are cancelled with the background tasks (what reset and close do)', async () => {
    const { tasks, orders, changes } = start();
    orders.save(waitingOrder());
    tasks.cancelAll();
    await pause(150);

    expect(orders.findAnyOwner(waitingOrder().id)).toMatchObject({ status: 'processing', version: 2 });
    expect(changes).toHaveLength(1);
  });
});
