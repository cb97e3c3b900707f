import { randomBytes } from 'node:crypto';
import { ulid } from 'ulid';

/** Mercado Pago's Orders ids: a prefix and an uppercase ULID (ulid() is uppercase already). */
export const newOrderId = (): string => `ORD${ulid()}`;
export const newPaymentId = (): string => `PAY${ulid()}`;
export const newRefundId = (): string => `REF${ulid()}`;
/** `reference_id` of payments and refunds: a bare ULID. */
export const newReferenceId = (): string => ulid();
/** Card tokens look like 32 lowercase hex characters. */
export const newCardTokenId = (): string => randomBytes(16).toString('hex');

/** Wallet Connect uses numeric ids; a counter keeps them unique and readable in tests. */
export class NumericIdSequence {
  private next: number;

  constructor(first: number) {
    this.next = first;
  }

  take(): number {
    return this.next++;
  }
}
