import { PendingSettlements, type PendingSettlementDependencies } from '../settlements/pending-settlements';
import { settleAdvancedPayment, type AdvancedPayment } from './advanced-payment-model';
import type { AdvancedPaymentStore } from './advanced-payment-store';

export type AdvancedPaymentSettlementDependencies = Pick<PendingSettlementDependencies<AdvancedPayment>, 'pendingSettleMs' | 'tasks' | 'clock'> & {
  payments: AdvancedPaymentStore;
};

/** A pending (CONT) advanced payment settles by itself after the delay, like a CONT order, or through the control. */
export function advancedPaymentSettlements({ payments, ...rest }: AdvancedPaymentSettlementDependencies): PendingSettlements<AdvancedPayment> {
  return new PendingSettlements<AdvancedPayment>({
    ...rest,
    records: payments,
    idOf: (payment) => String(payment.id),
    settle: settleAdvancedPayment,
    settlesByItself: (payment) => payment.state === 'pending_contingency',
  });
}
