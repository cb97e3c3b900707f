import type { PaymentWriteResult } from '@app/contracts';

/**
 * What happened to a request with an idempotency key, before any API dialect gives it a status
 * and body. Each dialect (Orders, Wallet Connect) maps every kind to its documented response.
 */
export type PaymentRunOutcome =
  /** The run finished with the upstream's final answer; `replayed` when another request started it. */
  | { kind: 'answered'; result: PaymentWriteResult; replayed: boolean }
  /** The run is still working after WAIT_FOR_RESULT_MS; it goes on and a later request gets its answer. */
  | { kind: 'still_running' }
  /** The key belongs to a different request (client, operation, order or body). */
  | { kind: 'key_reused' }
  /** The run ended without a final upstream answer (retry budget spent, or stopped by an operator). */
  | { kind: 'gave_up' }
  /** Temporal could not be asked about the key: fail closed, nothing was started. */
  | { kind: 'unverifiable' };
