import { BackgroundTasks } from '../background-tasks';
import { pause } from '../testing/notification-receiver';
import { ManualClock } from '../testing/simulator-harness';
import type { AdvancedPayment } from './advanced-payment-model';
import { advancedPaymentSettlements } from './advanced-payment-settlements';
import { AdvancedPaymentStore } from './advanced-payment-store';

/** A CONT advanced payment just created: what the timer of a pending settlement looks for. */
const pendingPayment: AdvancedPayment = {
  id: 10_000_001,
  ownerToken: 'APP_USR-test',
  chargeId: 3_000_000_001,
  state: 'pending_contingency',
  request: { wallet_payment: { transaction_amount: 10 }, payer: { token: 'CONT' } },
  collectorId: 1,
  binaryMode: false,
  createdAtMs: 0,
  updatedAtMs: 0,
  version: 1,
};

describe('advanced payment settlements', () => {
  const start = () => {
    const tasks = new BackgroundTasks();
    const changes: AdvancedPayment[] = [];
    const payments: AdvancedPaymentStore = new AdvancedPaymentStore((payment) => {
      changes.push(payment);
      settlements.changed(payment);
    });
    const settlements = advancedPaymentSettlements({ payments, pendingSettleMs: () => 50, tasks, clock: new ManualClock(5_000) });
    return { tasks, payments, changes };
  };

  it('approve a pending payment once the delay has passed', async () => {
    const { tasks, payments, changes } = start();
    payments.save(pendingPayment);
    await pause(150);

    expect(payments.findAnyOwner(String(pendingPayment.id))).toMatchObject({ state: 'approved', updatedAtMs: 5_000, version: 2 });
    expect(changes).toHaveLength(2);
    tasks.cancelAll();
  });

  it('are cancelled with the background tasks (what reset and close do)', async () => {
    const { tasks, payments, changes } = start();
    payments.save(pendingPayment);
    tasks.cancelAll();
    await pause(150);

    expect(payments.findAnyOwner(String(pendingPayment.id))).toMatchObject({ state: 'pending_contingency', version: 1 });
    expect(changes).toHaveLength(1);
  });
});
