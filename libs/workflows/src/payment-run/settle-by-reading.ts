import type { PaymentActivities } from '../../../contracts/src/activities';
import type { PaymentWriteResult } from '../../../contracts/src/payment-operation';
import type { PaymentWriteInput } from '../../../contracts/src/payment-write';
import { isReconcilable, reconciledAnswer } from '../../../mercadopago/src/reconciliation';
import { readOrUnreadable } from '../read-upstream';
import { takesStep, type RunStepChange } from './steps-revision';

/**
 * Runs that reach their give-up read the order first (docs/api.md, "Settling a write nobody
 * answered"); runs recorded before did not, and replay as they ran (Temporal's patching API).
 */
export const RECONCILE_AT_GIVE_UP: RunStepChange = { patchId: 'reconcile-at-give-up', revision: 1 };

/**
 * A write whose retry budget ran out may still have taken effect (every answer lost on the way
 * back). When a read of its order can tell (libs/mercadopago/src/reconciliation.ts), the order is
 * read once and, if the write shows, its answer is the write's documented success with the order.
 */
export async function settleByReading(input: PaymentWriteInput, readUpstreamOrder: PaymentActivities['readUpstreamOrder']): Promise<PaymentWriteResult | null> {
  if (input.orderId === null || !isReconcilable(input.operation, input.request.body) || !takesStep(input, RECONCILE_AT_GIVE_UP)) return null;
  const orderId = input.orderId;
  const read = await readOrUnreadable(() => readUpstreamOrder({ orderId, timeoutMs: input.attemptTimeoutMs }));
  return read.kind === 'read' ? reconciledAnswer(input.operation, input.request.body, read.status, read.body) : null;
}
