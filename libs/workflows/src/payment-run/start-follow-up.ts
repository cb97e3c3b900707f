import { ParentClosePolicy, startChild, workflowInfo } from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError, type SearchAttributePair } from '@temporalio/common';
import {
  ADVANCED_PAYMENT_FOLLOW_UP_WORKFLOW,
  FOLLOW_UP_REQUESTED_BY_MEMO_FIELD,
  followUpWorkflowId,
  ORDER_FOLLOW_UP_WORKFLOW,
  type AdvancedPaymentFollowUpInput,
  type OrderFollowUpInput,
} from '../../../contracts/src/follow-up';
import type { PaymentWriteResult } from '../../../contracts/src/payment-operation';
import type { PaymentWriteInput } from '../../../contracts/src/payment-write';
import { searchAttributes } from '../../../contracts/src/search-attributes';
import type { AwaitingResource } from '../../../mercadopago/src/awaiting-final-state';
import { CHILD_TIMEOUT_MARGIN_MS } from '../activity-options';
import { takesStep, type RunStepChange } from './steps-revision';

/** Runs whose answer leaves the order waiting start its follow-up; runs recorded before did not. */
export const FOLLOW_UP_UNSETTLED_ANSWERS: RunStepChange = { patchId: 'follow-up-unsettled-answers', revision: 1 };
/** Likewise for a Wallet Connect payment answered pending or in process, which came later. */
export const FOLLOW_UP_UNSETTLED_ADVANCED_PAYMENTS: RunStepChange = { patchId: 'follow-up-unsettled-advanced-payments', revision: 1 };

/**
 * An answer that leaves its payment waiting on its final state (an order processing, a 3-D Secure
 * challenge, a Wallet Connect payment in process…) is returned as it is, and a follow-up of the
 * resource starts beside the run (libs/contracts/src/follow-up.ts). It is abandoned when this run
 * closes, so callers get their answer now. When a follow-up of the resource is already running
 * (another run's), that one goes on alone: it calls back its own run's client only (docs/api.md, "Callbacks").
 */
export async function startFollowUp(input: PaymentWriteInput, awaiting: AwaitingResource, result: PaymentWriteResult): Promise<void> {
  if (input.followUp === undefined) return;
  if (!takesStep(input, awaiting.kind === 'order' ? FOLLOW_UP_UNSETTLED_ANSWERS : FOLLOW_UP_UNSETTLED_ADVANCED_PAYMENTS)) return;
  const common = {
    requestedBy: { idempotencyKey: workflowInfo().workflowId, clientId: input.clientId },
    answered: result.body,
    schedule: input.followUp,
    readTimeoutMs: input.attemptTimeoutMs,
  };
  const followed: { workflowType: string; followUp: OrderFollowUpInput | AdvancedPaymentFollowUpInput; attributes: SearchAttributePair[] } =
    awaiting.kind === 'order'
      ? {
          workflowType: ORDER_FOLLOW_UP_WORKFLOW,
          followUp: { ...common, orderId: awaiting.orderId },
          attributes: [
            { key: searchAttributes.orderId, value: awaiting.orderId },
            { key: searchAttributes.orderStatus, value: awaiting.status },
          ],
        }
      : {
          workflowType: ADVANCED_PAYMENT_FOLLOW_UP_WORKFLOW,
          followUp: { ...common, advancedPaymentId: awaiting.advancedPaymentId, paymentId: awaiting.paymentId },
          attributes: [{ key: searchAttributes.paymentStatus, value: awaiting.status }],
        };
  try {
    await startChild(followed.workflowType, {
      workflowId: followUpWorkflowId(awaiting),
      args: [followed.followUp],
      parentClosePolicy: ParentClosePolicy.ABANDON,
      workflowIdReusePolicy: 'ALLOW_DUPLICATE',
      workflowExecutionTimeout: 2 * input.followUp.horizonMs + CHILD_TIMEOUT_MARGIN_MS,
      memo: { [FOLLOW_UP_REQUESTED_BY_MEMO_FIELD]: common.requestedBy.idempotencyKey },
      typedSearchAttributes: [
        { key: searchAttributes.operation, value: input.operation },
        { key: searchAttributes.clientId, value: input.clientId },
        { key: searchAttributes.outcome, value: 'awaiting_final_state' },
        ...followed.attributes,
      ],
    });
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
  }
}
