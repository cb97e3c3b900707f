import type { JsonValue } from './json';

/** The idempotent operations the orchestrator offers; each is one kind of payment write. */
export type PaymentOperation = 'order.create' | 'order.process' | 'order.capture' | 'order.cancel' | 'order.refund' | 'advanced_payment.create';

/** What a finished run answers: the upstream's final status and body, returned to every caller with the key. */
export interface PaymentWriteResult {
  status: number;
  body: JsonValue;
  /**
   * True when the run itself recorded the owner of the order it created; the API then has nothing
   * left to record. Absent from runs recorded before runs did, which the API records for.
   */
  ownerRecorded?: true;
}
