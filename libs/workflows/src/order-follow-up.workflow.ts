import { ActivityFailure, condition, continueAsNew, proxyActivities, proxySinks, setHandler, upsertSearchAttributes, uuid4, workflowInfo } from '@temporalio/workflow';
import type { OrderRead, PaymentActivities } from '../../contracts/src/activities';
import {
  followUpStateQuery,
  isAwaitingFinalState,
  orderNotificationSignal,
  type CallbackEvent,
  type FollowUpActivities,
  type FollowUpCarry,
  type FollowUpSinks,
  type OrderFollowUpInput,
  type OrderFollowUpState,
} from '../../contracts/src/follow-up';
import { isJsonObject, type JsonValue } from '../../contracts/src/json';
import { readOrderOrUnreadable } from './read-order';
import { outcomeOfFinalOrderStatus, searchAttributes, type FollowUpOutcome } from '../../contracts/src/search-attributes';

/** A read changes nothing: Temporal may retry a lost one a few times before the follow-up waits again. */
const READ_ATTEMPTS = 3;
/** Room for the activity to report its own timeout before Temporal declares the read lost. */
const ACTIVITY_TIMEOUT_MARGIN_MS = 5_000;
/** Changes remembered for de-duplication: far more than one order ever has. */
const MAX_REMEMBERED_CHANGES = 200;
/** The first callback retry; later ones back off up to the poll's maximum interval. */
const CALLBACK_INITIAL_RETRY_MS = 1_000;

/**
 * Follows one order whose answer was not final until Mercado Pago settles it (docs/architecture.md,
 * "Following a payment to its final state"). It reads the order when a notification says it
 * changed and, because notifications get lost, on a timer that backs off from FOLLOW_UP_POLL_INITIAL_MS
 * to FOLLOW_UP_POLL_MAX_INTERVAL_MS, until the order is final or FOLLOW_UP_HORIZON_MS has passed.
 * Then it tells the run's client, when it has a callback URL. It only ever reads: nothing it
 * learns, and nothing a notification says, makes it write upstream.
 */
export async function orderFollowUpWorkflow(input: OrderFollowUpInput): Promise<OrderFollowUpState> {
  const carried = input.carried ?? firstCarry(input);
  const state = carried.state;
  const seenChanges = new Set(carried.seenChanges);
  let notified = false;

  setHandler(followUpStateQuery, () => state);
  setHandler(orderNotificationSignal, ({ change }) => {
    state.notifications += 1;
    if (seenChanges.has(change)) {
      state.duplicateNotifications += 1;
      return;
    }
    if (seenChanges.size >= MAX_REMEMBERED_CHANGES) seenChanges.delete(seenChanges.values().next().value!);
    seenChanges.add(change);
    notified = true;
  });

  const readOrder = proxyActivities<PaymentActivities>({
    startToCloseTimeout: input.readTimeoutMs + ACTIVITY_TIMEOUT_MARGIN_MS,
    retry: { maximumAttempts: READ_ATTEMPTS },
  }).readUpstreamOrder;

  let nextDelayMs = carried.nextDelayMs;
  while (state.state === 'awaiting_final_state') {
    const remainingMs = carried.deadlineMs - Date.now();
    if (remainingMs <= 0) {
      state.state = 'horizon_passed';
      break;
    }
    if (workflowInfo().continueAsNewSuggested) {
      await continueAsNew<typeof orderFollowUpWorkflow>({ ...input, carried: { state, deadlineMs: carried.deadlineMs, nextDelayMs, seenChanges: [...seenChanges] } });
    }
    const waitMs = Math.min(nextDelayMs, remainingMs);
    state.nextReadAt = new Date(Date.now() + waitMs).toISOString();
    const byNotification = await condition(() => notified, waitMs);
    notified = false;
    state.nextReadAt = null;
    // A notification reads at once and keeps the pace; a quiet interval backs off.
    if (!byNotification) nextDelayMs = Math.min(nextDelayMs * 2, input.schedule.pollMaxIntervalMs);
    learn(state, await readOrderOrUnreadable(readOrder, { orderId: input.orderId, timeoutMs: input.readTimeoutMs }));
  }

  state.settledAt = new Date(Date.now()).toISOString();
  const outcome: FollowUpOutcome = state.state === 'final' ? (outcomeOfFinalOrderStatus(state.orderStatus ?? '', state.statusDetail) ?? 'unsettled') : 'unsettled';
  upsertSearchAttributes([{ key: searchAttributes.outcome, value: outcome }]);
  proxySinks<FollowUpSinks>().followUps.ended(outcome);
  state.callback = await tellClient(input, state);
  return state;
}

/** Where a new follow-up starts: the answered order, a first read after FOLLOW_UP_POLL_INITIAL_MS. */
function firstCarry(input: OrderFollowUpInput): FollowUpCarry {
  const { status, statusDetail } = orderStatusOf(input.answered);
  const state: OrderFollowUpState = {
    state: 'awaiting_final_state',
    orderStatus: status,
    statusDetail,
    latest: input.answered,
    reads: 0,
    notifications: 0,
    duplicateNotifications: 0,
    lastReadAt: null,
    nextReadAt: null,
    settledAt: null,
    callback: null,
  };
  return { state, deadlineMs: workflowInfo().runStartTime.getTime() + input.schedule.horizonMs, nextDelayMs: input.schedule.pollInitialMs, seenChanges: [] };
}

/** Takes in what a read showed: the latest order, and whether it is final now. */
function learn(state: OrderFollowUpState, read: OrderRead): void {
  state.reads += 1;
  state.lastReadAt = new Date(Date.now()).toISOString();
  if (read.kind !== 'read' || read.status !== 200 || !isJsonObject(read.body)) return;
  const { status, statusDetail } = orderStatusOf(read.body);
  if (status === null) return;
  state.latest = read.body;
  const changed = status !== state.orderStatus || statusDetail !== state.statusDetail;
  state.orderStatus = status;
  state.statusDetail = statusDetail;
  if (!isAwaitingFinalState(status, statusDetail)) state.state = 'final';
  if (changed) upsertSearchAttributes([{ key: searchAttributes.orderStatus, value: status }]);
}

function orderStatusOf(order: JsonValue): { status: string | null; statusDetail: string | null } {
  if (!isJsonObject(order)) return { status: null, statusDetail: null };
  const { status, status_detail: statusDetail } = order;
  return { status: typeof status === 'string' ? status : null, statusDetail: typeof statusDetail === 'string' ? statusDetail : null };
}

/**
 * Sends the settled (or unsettled) order to the run's client, retried with backoff until it answers
 * 2xx or the horizon passes again; the worker looks the URL and secret up by client, so the event
 * can only reach the client whose run asked for the follow-up.
 */
async function tellClient(input: OrderFollowUpInput, state: OrderFollowUpState): Promise<OrderFollowUpState['callback']> {
  const { deliverCallback } = proxyActivities<FollowUpActivities>({
    startToCloseTimeout: input.readTimeoutMs + ACTIVITY_TIMEOUT_MARGIN_MS,
    scheduleToCloseTimeout: input.schedule.horizonMs,
    retry: { initialInterval: CALLBACK_INITIAL_RETRY_MS, backoffCoefficient: 2, maximumInterval: Math.max(CALLBACK_INITIAL_RETRY_MS, input.schedule.pollMaxIntervalMs) },
  });
  const event: CallbackEvent = {
    id: uuid4(),
    type: state.state === 'final' ? 'payment_run.final' : 'payment_run.unsettled',
    created_at: new Date(Date.now()).toISOString(),
    idempotency_key: input.requestedBy.idempotencyKey,
    order_id: input.orderId,
    state: state.state === 'final' ? 'final' : 'horizon_passed',
    order: state.latest,
  };
  try {
    const delivery = await deliverCallback({ clientId: input.requestedBy.clientId, event, timeoutMs: input.readTimeoutMs });
    return delivery.kind;
  } catch (error) {
    if (error instanceof ActivityFailure) return 'undelivered';
    throw error;
  }
}
