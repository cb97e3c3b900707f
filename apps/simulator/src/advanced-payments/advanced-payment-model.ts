import type { SettlementOutcome } from '../settlements/pending-settlements';
import type { PayerTokenOutcome } from './payer-tokens';

/** Where an advanced payment stands: a payer-token outcome, or where a pending one settled. */
export type AdvancedPaymentState = Exclude<PayerTokenOutcome, 'invalid_payer_token'>;

/** The parts of a `POST /v1/advanced_payments` body the simulator keeps. */
export interface AdvancedPaymentRequest {
  wallet_payment: { transaction_amount: number; description?: string; external_reference?: string };
  payer: { token: string };
  binary_mode?: boolean;
}

export interface AdvancedPayment {
  id: number;
  /** Advanced payments belong to the access token that created them; other sellers get 404. */
  ownerToken: string;
  /** The id of its one payment (`payments[0].id`); null when no charge was attempted (insufficient money). */
  chargeId: number | null;
  state: AdvancedPaymentState;
  request: AdvancedPaymentRequest;
  collectorId: number;
  /**
   * What the answer shows as `binary_mode`: false only for a payment allowed to stay pending, true
   * for the others, as the simulator always answered them.
   */
  binaryMode: boolean;
  createdAtMs: number;
  updatedAtMs: number;
  /** 1 when created, 2 once settled: tells the creation's notification from the settlement's. */
  version: number;
}

/**
 * Ends a pending payment as if the review had answered now: approved, or rejected as OTHE is.
 * undefined when the payment is not pending.
 */
export function settleAdvancedPayment(payment: AdvancedPayment, outcome: SettlementOutcome, nowMs: number): AdvancedPayment | undefined {
  if (payment.state !== 'pending_contingency') return undefined;
  return { ...payment, state: outcome === 'approved' ? 'approved' : 'rejected_other_reason', updatedAtMs: nowMs, version: payment.version + 1 };
}
