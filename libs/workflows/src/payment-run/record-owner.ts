import { ParentClosePolicy, proxyLocalActivities, startChild } from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { answeredOrderId, isValidOrderId } from '../../../mercadopago/src/order-id';
import { ORDER_OWNERSHIP_WORKFLOW, orderOwnershipStart, type OrderOwnershipActivities } from '../../../contracts/src/order-ownership';
import type { PaymentWriteResult } from '../../../contracts/src/payment-operation';
import type { PaymentWriteInput } from '../../../contracts/src/payment-write';
import { takesStep, type RunStepChange } from './steps-revision';

/** An order create's run records the order's owner itself; runs recorded before left it to the API. */
export const RECORD_ORDER_OWNER: RunStepChange = { patchId: 'record-order-owner', revision: 1 };
/**
 * It records it with a local activity inside the task that received the answer; runs recorded
 * before started the record as a child, which cost them one more workflow task.
 */
export const RECORD_ORDER_OWNER_IN_TASK: RunStepChange = { patchId: 'record-order-owner-in-task', revision: 1 };

/**
 * The record's start is one call to Temporal: retried until it succeeds (the run cannot answer
 * before), each try bounded like the API's own calls to Temporal (TEMPORAL_RPC_TIMEOUT_MS' default).
 */
const { recordOrderOwner } = proxyLocalActivities<OrderOwnershipActivities>({
  startToCloseTimeout: '5s',
  retry: { initialInterval: '500ms', maximumInterval: '30s' },
});

/**
 * Records who created the order an order create was answered with (a 201, or the 402 of a declined
 * automatic order, which exists too), as an ownership record (libs/contracts/src/order-ownership.ts)
 * that outlives the run. The run waits for the record's start, so nothing with the order id leaves
 * the run before the owner is known: not the answer (and so no replay, no remembered answer), not
 * the status resource, not a callback nor a follow-up (docs/architecture.md, "Merchants, namespaces
 * and order ownership"). A record already there is this order's, from an earlier run of the same
 * request (the upstream replays the create under the same key). True when the record exists.
 */
export async function recordOwner(input: PaymentWriteInput, result: PaymentWriteResult): Promise<boolean> {
  if (input.ownership === undefined) return false;
  const orderId = answeredOrderId(result.body);
  if (orderId === null || !isValidOrderId(orderId)) return false;
  if (takesStep(input, RECORD_ORDER_OWNER_IN_TASK)) {
    await recordOrderOwner({ orderId, clientId: input.clientId, ownership: input.ownership });
    return true;
  }
  if (!takesStep(input, RECORD_ORDER_OWNER)) return false;
  try {
    await startChild(ORDER_OWNERSHIP_WORKFLOW, { ...orderOwnershipStart(orderId, input.clientId, input.ownership), parentClosePolicy: ParentClosePolicy.ABANDON });
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
  }
  return true;
}
