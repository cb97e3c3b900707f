import {
  ActivityFailure,
  ApplicationFailure,
  ParentClosePolicy,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  setWorkflowOptions,
  sleep,
  startChild,
  TimeoutFailure,
  upsertSearchAttributes,
  uuid4,
  workflowInfo,
} from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError, type SearchAttributePair } from '@temporalio/common';
import type { PaymentActivities } from '../../contracts/src/activities';
import { awaitingFinalState, type AwaitingResource } from '../../mercadopago/src/awaiting-final-state';
import { PAYMENT_RUN_CALLBACK_WORKFLOW, paymentRunCallbackWorkflowId, type CallbackEvent, type PaymentRunCallbackInput } from '../../contracts/src/callbacks';
import {
  ADVANCED_PAYMENT_FOLLOW_UP_WORKFLOW,
  FOLLOW_UP_REQUESTED_BY_MEMO_FIELD,
  followUpWorkflowId,
  ORDER_FOLLOW_UP_WORKFLOW,
  type AdvancedPaymentFollowUpInput,
  type OrderFollowUpInput,
} from '../../contracts/src/follow-up';
import type { JsonValue } from '../../contracts/src/json';
import type { PaymentWriteResult } from '../../contracts/src/payment-operation';
import { RETRY_BUDGET_EXHAUSTED, type PaymentRunState, type PaymentWriteInput } from '../../contracts/src/payment-write';
import { answeredOrderId, isValidOrderId } from '../../contracts/src/order-id';
import { ORDER_OWNERSHIP_WORKFLOW, orderOwnershipStart } from '../../contracts/src/order-ownership';
import { isReconcilable, reconciledAnswer } from '../../mercadopago/src/reconciliation';
import { externalReferenceOf, outcomeOfStatus, searchAttributes } from '../../contracts/src/search-attributes';
import { FORBIDDEN_UPSTREAM_REQUEST, type UpstreamAttempt } from '../../contracts/src/upstream';
import { runStateQuery } from '../../contracts/src/workflow-definitions';
import { ACTIVITY_TIMEOUT_MARGIN_MS, READ_ATTEMPTS } from './activity-options';
import { readOrUnreadable } from './read-upstream';
import { retryDelayMs } from './retry-delay';

/**
 * Runs that reach their give-up read the order first (docs/api.md, "Settling a write nobody
 * answered"); runs recorded before did not, and replay as they ran (Temporal's patching API).
 */
export const RECONCILE_AT_GIVE_UP = 'reconcile-at-give-up';
/** Runs whose answer leaves the order waiting start its follow-up; runs recorded before did not. */
export const FOLLOW_UP_UNSETTLED_ANSWERS = 'follow-up-unsettled-answers';
/** Likewise for a Wallet Connect payment answered pending or in process, which came later. */
export const FOLLOW_UP_UNSETTLED_ADVANCED_PAYMENTS = 'follow-up-unsettled-advanced-payments';
/** Runs of a client with a callback URL tell it their final answer or give-up; runs recorded before did not. */
export const CALL_BACK_FINAL_RUNS = 'call-back-final-runs';
/** An order create's run records the order's owner itself; runs recorded before left it to the API. */
export const RECORD_ORDER_OWNER = 'record-order-owner';
/** A follow-up outlives its horizon by its callback's retries (up to another horizon), and this; so does a run's callback. */
const FOLLOW_UP_TIMEOUT_MARGIN_MS = 60 * 60 * 1000;

/**
 * One idempotent payment write, run once per idempotency key. Each attempt is one activity call
 * with the same upstream key; the workflow owns the retry loop so that its state (attempts, last
 * status, next attempt) is queryable and its backoff honours the upstream's Retry-After.
 *
 * Ends by returning the upstream's final answer, or by failing when the retry budget runs out:
 * a failed run frees its key (ALLOW_DUPLICATE_FAILED_ONLY), so the caller can try again.
 */
export async function paymentWriteWorkflow(input: PaymentWriteInput): Promise<PaymentWriteResult> {
  const state: PaymentRunState = {
    phase: 'calling_upstream',
    attempts: 0,
    lastUpstreamStatus: null,
    lastFailureReason: null,
    nextAttemptAt: null,
  };
  setHandler(runStateQuery, () => state);

  const attemptOptions = {
    startToCloseTimeout: input.attemptTimeoutMs + ACTIVITY_TIMEOUT_MARGIN_MS,
    // The loop below retries; Temporal must not add a second, invisible retry layer.
    retry: { maximumAttempts: 1 },
  };
  const local = proxyLocalActivities<PaymentActivities>(attemptOptions);
  const regular = proxyActivities<PaymentActivities>(attemptOptions);
  const regularRead = proxyActivities<PaymentActivities>({ ...attemptOptions, retry: { maximumAttempts: READ_ATTEMPTS } }).readUpstreamOrder;
  const activitiesFor = (attempt: number) => (input.attemptActivity === 'local' || (input.attemptActivity === 'first_local' && attempt === 1) ? local : regular);
  const deadline = workflowInfo().runStartTime.getTime() + input.retry.budgetMs;

  for (;;) {
    state.phase = 'calling_upstream';
    state.nextAttemptAt = null;
    state.attempts += 1;
    const attempt = await attemptOnce(activitiesFor(state.attempts).sendUpstreamRequest, input);
    state.lastUpstreamStatus = attempt.status;

    if (attempt.kind === 'final') {
      const result = { status: attempt.status, body: attempt.body };
      // First of all: the order id reaches the search attributes (the status resource reads it
      // there), a callback, a follow-up and the answer only after its owner is recorded.
      const ownerRecorded = await recordOwner(input, result);
      state.phase = 'completed';
      state.lastFailureReason = null;
      upsertSearchAttributes([
        { key: searchAttributes.outcome, value: outcomeOfStatus(attempt.status) },
        { key: searchAttributes.upstreamStatus, value: attempt.status },
        ...createdOrderId(input, attempt.body),
        ...answeredExternalReference(attempt.body),
      ]);
      const awaiting = awaitingFinalState(input.operation, result);
      if (awaiting === null) await callBack(input, { type: 'payment_run.final', state: 'final', answer: result });
      else await startFollowUp(input, awaiting, result);
      return ownerRecorded ? { ...result, ownerRecorded: true } : result;
    }

    state.lastFailureReason = attempt.reason;
    const delay = retryDelayMs(input.retry, state.attempts, attempt.retryAfterMs, Math.random);
    if (Date.now() + delay > deadline) {
      const settled = await settleByReading(input, regularRead);
      if (settled !== null) {
        state.phase = 'completed';
        state.lastFailureReason = null;
        state.lastUpstreamStatus = settled.status;
        upsertSearchAttributes([
          { key: searchAttributes.outcome, value: outcomeOfStatus(settled.status) },
          { key: searchAttributes.upstreamStatus, value: settled.status },
          ...answeredExternalReference(settled.body),
        ]);
        if (awaitingFinalState(input.operation, settled) === null) await callBack(input, { type: 'payment_run.final', state: 'final', answer: settled });
        return settled;
      }
      state.phase = 'gave_up';
      upsertSearchAttributes([{ key: searchAttributes.outcome, value: 'gave_up' }]);
      await callBack(input, { type: 'payment_run.gave_up', state: 'gave_up' });
      throw ApplicationFailure.create({
        type: RETRY_BUDGET_EXHAUSTED,
        message: `upstream gave no final answer in ${state.attempts} attempts; last: ${attempt.reason}`,
        nonRetryable: true,
      });
    }
    state.phase = 'waiting_to_retry';
    state.nextAttemptAt = new Date(Date.now() + delay).toISOString();
    await sleep(delay);
  }
}

/**
 * A payment run stays on the build that started it (Worker Deployment versioning, with
 * WORKER_BUILD_ID set): a rollout never replays a run that may be mid-call to the upstream on
 * other code, and the old build's workers stay until its pinned runs end (within their execution
 * timeout: docs/operations.md, "Rolling out a new build"). Unversioned workers ignore it.
 */
setWorkflowOptions({ versioningBehavior: 'PINNED' }, paymentWriteWorkflow);

/**
 * A write whose retry budget ran out may still have taken effect (every answer lost on the way
 * back). When a read of its order can tell (libs/mercadopago/src/reconciliation.ts), the order is
 * read once and, if the write shows, its answer is the write's documented success with the order.
 */
async function settleByReading(input: PaymentWriteInput, readUpstreamOrder: PaymentActivities['readUpstreamOrder']): Promise<PaymentWriteResult | null> {
  if (input.orderId === null || !isReconcilable(input.operation, input.request.body) || !patched(RECONCILE_AT_GIVE_UP)) return null;
  const orderId = input.orderId;
  const read = await readOrUnreadable(() => readUpstreamOrder({ orderId, timeoutMs: input.attemptTimeoutMs }));
  return read.kind === 'read' ? reconciledAnswer(input.operation, input.request.body, read.status, read.body) : null;
}

/**
 * Records who created the order an order create was answered with (a 201, or the 402 of a declined
 * automatic order, which exists too), as an ownership record (libs/contracts/src/order-ownership.ts)
 * started beside the run and abandoned when it closes. The run waits for the record's start, so
 * nothing with the order id leaves the run before the owner is known: not the answer (and so no
 * replay, no remembered answer), not the status resource, not a callback nor a follow-up
 * (docs/architecture.md, "Merchants, namespaces and order ownership"). A record already there is
 * this order's, from an earlier run of the same request (the upstream replays the create under the
 * same key). True when the record exists.
 */
async function recordOwner(input: PaymentWriteInput, result: PaymentWriteResult): Promise<boolean> {
  if (input.ownership === undefined) return false;
  const orderId = answeredOrderId(result.body);
  if (orderId === null || !isValidOrderId(orderId) || !patched(RECORD_ORDER_OWNER)) return false;
  try {
    await startChild(ORDER_OWNERSHIP_WORKFLOW, { ...orderOwnershipStart(orderId, input.clientId, input.ownership), parentClosePolicy: ParentClosePolicy.ABANDON });
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
  }
  return true;
}

/**
 * An answer that leaves its payment waiting on its final state (an order processing, a 3-D Secure
 * challenge, a Wallet Connect payment in process…) is returned as it is, and a follow-up of the
 * resource starts beside the run (libs/contracts/src/follow-up.ts). It is abandoned when this run
 * closes, so callers get their answer now. When a follow-up of the resource is already running
 * (another run's), that one goes on alone: it calls back its own run's client only (docs/api.md, "Callbacks").
 */
async function startFollowUp(input: PaymentWriteInput, awaiting: AwaitingResource, result: PaymentWriteResult): Promise<void> {
  if (input.followUp === undefined) return;
  if (!patched(awaiting.kind === 'order' ? FOLLOW_UP_UNSETTLED_ANSWERS : FOLLOW_UP_UNSETTLED_ADVANCED_PAYMENTS)) return;
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
      workflowExecutionTimeout: 2 * input.followUp.horizonMs + FOLLOW_UP_TIMEOUT_MARGIN_MS,
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

/**
 * Tells the run's client, when it has a callback URL, that the run reached a final state at once:
 * through a workflow of its own, abandoned when this run closes, so callers never wait for the
 * client's URL. A client without one costs nothing here.
 */
async function callBack(input: PaymentWriteInput, what: Pick<CallbackEvent, 'type' | 'state' | 'answer'>): Promise<void> {
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
    workflowExecutionTimeout: input.callback.horizonMs + FOLLOW_UP_TIMEOUT_MARGIN_MS,
    typedSearchAttributes: [
      { key: searchAttributes.operation, value: input.operation },
      { key: searchAttributes.clientId, value: input.clientId },
    ],
  });
}

/** An order create learns its order id only from the answer; operators search runs by it. */
function createdOrderId(input: PaymentWriteInput, body: JsonValue) {
  const id = input.orderId === null ? answeredOrderId(body) : null;
  return id === null ? [] : [{ key: searchAttributes.orderId, value: id }];
}

/** Captures, refunds and processes carry no body of their own: only the answer names the reference. */
function answeredExternalReference(body: JsonValue) {
  const reference = externalReferenceOf(body);
  return reference === null ? [] : [{ key: searchAttributes.externalReference, value: reference }];
}

/**
 * A lost attempt (worker crash, activity timeout) is just another retryable failure. An attempt
 * the worker refused to send (not a route the API could have asked for) fails the run for good.
 */
async function attemptOnce(sendUpstreamRequest: PaymentActivities['sendUpstreamRequest'], input: PaymentWriteInput): Promise<UpstreamAttempt> {
  try {
    return await sendUpstreamRequest({ ...input.request, operation: input.operation, timeoutMs: input.attemptTimeoutMs });
  } catch (error) {
    // A local activity's failure reaches the workflow unwrapped (no ActivityFailure around it).
    if (!(error instanceof ActivityFailure || error instanceof ApplicationFailure || error instanceof TimeoutFailure)) throw error;
    const failure = error instanceof ActivityFailure ? error.cause : error;
    if (failure instanceof ApplicationFailure && failure.type === FORBIDDEN_UPSTREAM_REQUEST) {
      throw ApplicationFailure.create({ type: FORBIDDEN_UPSTREAM_REQUEST, message: failure.message, nonRetryable: true });
    }
    const cause = error.cause?.message ?? error.message;
    return { kind: 'retryable', status: null, reason: `attempt lost: ${cause}`, retryAfterMs: null };
  }
}
