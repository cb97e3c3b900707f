import type { AdvancedPayment } from './advanced-payment-model';

/** Told about every advanced payment stored: notifications and pending settlements start from here. */
export type AdvancedPaymentChangeListener = (payment: AdvancedPayment) => void;

export class AdvancedPaymentStore {
  private readonly payments = new Map<number, AdvancedPayment>();

  /** Every save is a change (creation included); replays and reads never save. */
  constructor(private readonly onChange: AdvancedPaymentChangeListener = () => undefined) {}

  /** The payment, if it exists and belongs to this access token. */
  find(id: number, accessToken: string): AdvancedPayment | undefined {
    const payment = this.payments.get(id);
    return payment?.ownerToken === accessToken ? payment : undefined;
  }

  /** The payment whoever owns it, by the id as a path gives it: for the simulator's own controls and timers, never for the API. */
  findAnyOwner(id: string): AdvancedPayment | undefined {
    return /^\d{1,15}$/.test(id) ? this.payments.get(Number(id)) : undefined;
  }

  save(payment: AdvancedPayment): void {
    this.payments.set(payment.id, payment);
    this.onChange(payment);
  }

  clear(): void {
    this.payments.clear();
  }
}
