import { ParentClosePolicy, proxyLocalActivities, startChild, uuid4, workflowInfo } from '@temporalio/workflow';
import {
  callbackTaskQueue,
  PAYMENT_RUN_CALLBACK_WORKFLOW,
  paymentRunCallbackWorkflowId,
  type CallbackEvent,
  type CallbackHandOverActivities,
  type PaymentRunCallbackInput,
} from '../../../contracts/src/callbacks';
import { answeredOrderId } from '../../../mercadopago/src/order-id';
import type { PaymentWriteInput } from '../../../contracts/src/payment-write';
import { searchAttributes } from '../../../contracts/src/search-attributes';
import { CHILD_TIMEOUT_MARGIN_MS } from '../activity-options';
import { takesStep, type RunStepChange } from './steps-revision';

/** Runs of a client with a callback URL tell it their final answer or give-up; runs recorded before did not. */
export const CALL_BACK_FINAL_RUNS: RunStepChange = { patchId: 'call-back-final-runs', revision: 1 };
/**
 * Runs hand their event to their client's callbacks workflow (a local activity) instead of starting
 * a workflow per run; runs recorded before replay their child start (docs/architecture.md,
 * "Callbacks apart from payments").
 */
export const CALL_BACK_THROUGH_CLIENT_CALLBACKS: RunStepChange = { patchId: 'call-back-through-client-callbacks', revision: 1 };

/** The hand-over is one signal-with-start: retried while Temporal cannot take it, as a child start would wait. */
const handOver = proxyLocalActivities<CallbackHandOverActivities>({
  startToCloseTimeout: '10s',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '30s' },
});

/**
 * Tells the run's client, when it has a callback URL, that the run reached a final state at once:
 * the event goes to the client's callbacks workflow on the callback task queue, so callers never
 * wait for the client's URL and deliveries take nothing from payment work. The event id is made
 * here (replayed, never remade), so a hand-over that runs twice is recognised there. A client
 * without a URL costs nothing here.
 */
export async function callBack(input: PaymentWriteInput, what: Pick<CallbackEvent, 'type' | 'state' | 'answer'>): Promise<void> {
  if (input.callback === undefined || !takesStep(input, CALL_BACK_FINAL_RUNS)) return;
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
  if (takesStep(input, CALL_BACK_THROUGH_CLIENT_CALLBACKS)) {
    await handOver.handOverCallback({ clientId: input.clientId, taskQueue: callbackTaskQueue(workflowInfo().taskQueue), event: callback.event, schedule: callback.schedule });
    return;
  }
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
