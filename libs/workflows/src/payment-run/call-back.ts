import { ParentClosePolicy, proxyLocalActivities, startChild, uuid4, workflowInfo } from '@temporalio/workflow';
import {
  callbackTaskQueue,
  PAYMENT_RUN_CALLBACK_WORKFLOW,
  paymentRunCallbackWorkflowId,
  runEvent,
  type AttemptHandOver,
  type CallbackEvent,
  type CallbackHandOverActivities,
  type CallbackHandOverOutcome,
  type CallbackSchedule,
  type PaymentRunCallbackInput,
  type RunEventSubject,
} from '../../../contracts/src/callbacks';
import { answeredOrderId } from '../../../mercadopago/src/order-id';
import type { PaymentWriteInput } from '../../../contracts/src/payment-write';
import { searchAttributes } from '../../../contracts/src/search-attributes';
import { CHILD_TIMEOUT_MARGIN_MS } from '../activity-options';
import { startedAtRevision, takesStep, type RunStepChange } from './steps-revision';

/** Runs of a client with a callback URL tell it their final answer or give-up; runs recorded before did not. */
export const CALL_BACK_FINAL_RUNS: RunStepChange = { patchId: 'call-back-final-runs', revision: 1 };
/**
 * Runs hand their event to their client's callbacks workflow (a local activity) instead of starting
 * a workflow per run; runs recorded before replay their child start (docs/architecture.md,
 * "Callbacks apart from payments").
 */
export const CALL_BACK_THROUGH_CLIENT_CALLBACKS: RunStepChange = { patchId: 'call-back-through-client-callbacks', revision: 1 };

/** The hand-over is one signal (with start when needed): retried while Temporal cannot take it, as a child start would wait. */
const handOver = proxyLocalActivities<CallbackHandOverActivities>({
  startToCloseTimeout: '10s',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '30s' },
});

/**
 * Hands one event, its id made in the workflow (replayed, never remade), to its client's callbacks
 * workflow on the callback task queue of the worker running the local activity: a hand-over that
 * runs twice sends the same id, which that workflow delivers once, in its client's bounds
 * (CALLBACK_MAX_CONCURRENT_PER_CLIENT; docs/architecture.md, "Callbacks apart from payments"). A
 * run's and a follow-up's events go this one way. `not_configured` when the worker has no callback
 * URL for the client: nothing is handed over. `together`: it may share a signal with others (CallbackHandOver's).
 */
export function handOverEvent(clientId: string, event: CallbackEvent, schedule: CallbackSchedule, together: boolean): Promise<CallbackHandOverOutcome> {
  return handOver.handOverCallback({ clientId, event, schedule, ...(together ? { together } : {}) });
}

/** From this revision, a run makes its event's subject when it starts, and its attempts hand a final answer over. */
const HAND_OVER_FROM_ATTEMPT_REVISION = 1;
/**
 * From this revision, a run's hand-overs may share a signal (CallbackHandOver's `together`): it
 * starts only once every worker handles `callbackEvents` (PAYMENT_RUN_STEPS_REVISION). No command
 * changes, so runs at 1 and at 2 replay alike.
 */
const HAND_OVERS_TOGETHER_REVISION = 2;

/** Whether this run's hand-overs may share a signal with others'. */
const handsOverTogether = (input: PaymentWriteInput): boolean => startedAtRevision(input, HAND_OVERS_TOGETHER_REVISION);

/**
 * The subject of the run's event, made once when the run starts, so that whichever hand-over sends
 * the event (the attempt's or the run's own) names the same id: a run sends one event. Null for a
 * client without a callback URL, and for runs started before the revision, which make it when they call back.
 */
export function runEventSubject(input: PaymentWriteInput): RunEventSubject | null {
  return input.callback === undefined || !startedAtRevision(input, HAND_OVER_FROM_ATTEMPT_REVISION) ? null : newSubject(input);
}

/**
 * The hand-over the run's attempts carry (UpstreamRequest's `handOver`): the attempt whose answer
 * ends the run hands it over itself, one local activity less on the way to the answer. Not when the
 * run must record the order's owner first: nothing with the order id leaves the run before that
 * (./record-owner.ts), so those runs hand over in their own local activity, after the record.
 */
export function attemptHandOver(input: PaymentWriteInput, subject: RunEventSubject | null): AttemptHandOver | undefined {
  if (subject === null || input.callback === undefined || input.ownership !== undefined) return undefined;
  // `taskQueue` for workers of a build from before the activity derived it, which name the callbacks
  // workflow by it: in a rolling upgrade, an attempt that lands on one still hands its answer over.
  const taskQueue = callbackTaskQueue(workflowInfo().taskQueue);
  return { clientId: input.clientId, taskQueue, schedule: input.callback, subject, ...(handsOverTogether(input) ? { together: true as const } : {}) };
}

/**
 * Tells the run's client, when it has a callback URL, that the run reached a final state at once:
 * the event goes to the client's callbacks workflow on the callback task queue, so callers never
 * wait for the client's URL and deliveries take nothing from payment work. The event id is made
 * in the run (replayed, never remade), so a hand-over that runs twice is recognised there. A client
 * without a URL costs nothing here.
 */
export async function callBack(input: PaymentWriteInput, what: Pick<CallbackEvent, 'type' | 'state' | 'answer'>, subject: RunEventSubject | null): Promise<void> {
  if (input.callback === undefined || !takesStep(input, CALL_BACK_FINAL_RUNS)) return;
  const about = subject ?? newSubject(input);
  const orderId = about.orderId ?? (what.answer === undefined ? null : answeredOrderId(what.answer.body));
  const event = runEvent({ ...about, orderId }, what, Date.now());
  if (takesStep(input, CALL_BACK_THROUGH_CLIENT_CALLBACKS)) {
    await handOverEvent(input.clientId, event, input.callback, handsOverTogether(input));
    return;
  }
  const callback: PaymentRunCallbackInput = { clientId: input.clientId, event, schedule: input.callback };
  await startChild(PAYMENT_RUN_CALLBACK_WORKFLOW, {
    workflowId: paymentRunCallbackWorkflowId(workflowInfo().runId),
    args: [callback],
    parentClosePolicy: ParentClosePolicy.ABANDON,
    workflowExecutionTimeout: input.callback.horizonMs + CHILD_TIMEOUT_MARGIN_MS,
    typedSearchAttributes: [
      { key: searchAttributes.operation, value: input.operation },
      { key: searchAttributes.clientId, value: input.clientId },
    ],
  });
}

function newSubject(input: PaymentWriteInput): RunEventSubject {
  return { id: uuid4(), idempotencyKey: workflowInfo().workflowId, operation: input.operation, orderId: input.orderId };
}
