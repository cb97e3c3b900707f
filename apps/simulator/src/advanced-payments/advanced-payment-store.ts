import type { JsonObject } from '@app/contracts/json';

/** A created advanced payment: the answer it got is also what GET returns. */
export interface AdvancedPayment {
  id: number;
  ownerToken: string;
  view: JsonObject;
}

export class AdvancedPaymentStore {
  private readonly payments = new Map<number, AdvancedPayment>();

  find(id: number, accessToken: string): AdvancedPayment | undefined {
    const payment = this.payments.get(id);
    return payment?.ownerToken === accessToken ? payment : undefined;
  }

  save(payment: AdvancedPayment): void {
    this.payments.set(payment.id, payment);
  }

  clear(): void {
    this.payments.clear();
  }
}
