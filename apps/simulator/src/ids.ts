import { randomBytes } from 'node:crypto';
import { ulid } from 'ulid';

/**
 * `ORD` (or `ORDTST` for test users) and 26 uppercase ULID characters, as Mercado Pago's Orders
 * ids look: the simulator's own reading, not the orchestrator's rule (libs/mercadopago), so that a
 * mistake in either shows against the other.
 */
const ORDER_ID = /^ORD(TST)?[0-9A-Z]{26}$/;

export const isValidOrderId = (value: string): boolean => ORDER_ID.test(value);

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
