import { ParentClosePolicy, patched, startChild, uuid4, workflowInfo } from '@temporalio/workflow';
import { PAYMENT_RUN_CALLBACK_WORKFLOW, paymentRunCallbackWorkflowId, type CallbackEvent, type PaymentRunCallbackInput } from '../../../contracts/src/callbacks';
import { answeredOrderId } from '../../../mercadopago/src/order-id';
import type { PaymentWriteInput } from '../../../contracts/src/payment-write';
import { searchAttributes } from '../../../contracts/src/search-attributes';
import { CHILD_TIMEOUT_MARGIN_MS } from '../activity-options';

/** Runs of a client with a callback URL tell it their final answer or give-up; runs recorded before did not. */
export const CALL_BACK_FINAL_RUNS = 'call-back-final-runs';

/**
 * Tells the run's client, when it has a callback URL, that the run reached a final state at once:
 * through a workflow of its own, abandoned when this run closes, so callers never wait for the
 * client's URL. A client without one costs nothing here.
 */
export async function callBack(input: PaymentWriteInput, what: Pick<CallbackEvent, 'type' | 'state' | 'answer'>): Promise<void> {
  if (input.callback === undefined || !patched(CALL_BACK_FINAL_RUNS)) return;
  const { workflowId: idempotencyKey, runId } = workflowInfo();
  const orderId = input.orderId ?? (what.answer === undefined ? null : answeredOrderId(what.answer.body));
  const callback: PaymentRunCallbackInput = {
    clientId: input.clientId,
    event: {
      id: uuid4(),
      type: what.type,
      created_at: new Date(Date.now()).toISOString(),
      idempotency_key: idempotencyKey,
      state: what.state,
      operation: input.operation,
      ...(orderId === null ? {} : { order_id: orderId }),
      ...(what.answer === undefined ? {} : { answer: what.answer }),
    },
    schedule: input.callback,
  };
  await startChild(PAYMENT_RUN_CALLBACK_WORKFLOW, {
    workflowId: paymentRunCallbackWorkflowId(runId),
    args: [callback],
    parentClosePolicy: ParentClosePolicy.ABANDON,
    workflowExecutionTimeout: input.callback.horizonMs + CHILD_TIMEOUT_MARGIN_MS,
    typedSearchAttributes: [
      { key: searchAttributes.operation, value: input.operation },
      { key: searchAttributes.clientId, value: input.clientId },
    ],
  });
}
