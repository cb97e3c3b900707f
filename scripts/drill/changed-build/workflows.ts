/**
 * The rollout drill's "new build": the project's workflows, with the payment workflow changed the
 * way an unguarded code change changes it (a timer before its first command, without `patched()`).
 * Any history the old code wrote fails to replay on it with a nondeterminism error, so the drill
 * sees whether the rollout ever replays an old payment run on new code. Only the drill bundles it.
 */
import { setWorkflowOptions, sleep } from '@temporalio/workflow';
import type { PaymentWriteResult } from '../../../libs/contracts/src/payment-operation';
import type { PaymentWriteInput } from '../../../libs/contracts/src/payment-write';
import { paymentRunVersioning, paymentWriteWorkflow as unchangedPaymentWrite } from '../../../libs/workflows/src/payment-write.workflow';

export * from '../../../libs/workflows/src/index';

/** The change: a 1 ms timer first (every new run records a TimerStarted the old code never made). */
export async function paymentWriteWorkflow(input: PaymentWriteInput): Promise<PaymentWriteResult> {
  await sleep(1);
  return unchangedPaymentWrite(input);
}

// Pinned like the unchanged one, on a versioned worker only (payment-write.workflow.ts).
setWorkflowOptions(paymentRunVersioning, paymentWriteWorkflow);
