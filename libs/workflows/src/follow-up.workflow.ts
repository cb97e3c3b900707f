import {
  condition,
  continueAsNew,
  patched,
  proxyActivities,
  proxySinks,
  setHandler,
  sleep,
  upsertSearchAttributes,
  uuid4,
  workflowInfo,
  type SignalDefinition,
} from '@temporalio/workflow';
import type { PaymentActivities, UpstreamRead } from '../../contracts/src/activities';
import { firstPaymentOf, isAdvancedPaymentAwaitingFinalState, isOrderAwaitingFinalState } from '../../mercadopago/src/awaiting-final-state';
import type { CallbackEvent, CallbackOutcome, CallbackSchedule } from '../../contracts/src/callbacks';
import {
  followUpStateQuery,
  type AdvancedPaymentFollowUpInput,
  type FollowUpCarry,
  type FollowUpSinks,
  type FollowUpState,
  type OrderFollowUpInput,
  type SeenSignature,
} from '../../contracts/src/follow-up';
import { isJsonObject, type JsonObject, type JsonValue } from '../../contracts/src/json';
import { orderNotificationSignal, paymentNotificationSignal, type UpstreamNotification } from '../../contracts/src/notifications';
import { searchAttributes, type FollowUpOutcome } from '../../contracts/src/search-attributes';
import { outcomeOfFinalAdvancedPaymentStatus, outcomeOfFinalOrderStatus } from '../../mercadopago/src/final-status';
import { ACTIVITY_TIMEOUT_MARGIN_MS, READ_ATTEMPTS } from './activity-options';
import { tellClient } from './client-callback';
import { handOverEvent } from './payment-run/call-back';
import { readOrUnreadable } from './read-upstream';

/** Changes remembered for de-duplication: far more than one payment ever has. */
const MAX_REMEMBERED_CHANGES = 200;
/**
 * Signed notifications remembered at once: each is forgotten once its signature is stale, and
 * Mercado Pago signs a few per change, so this many within the tolerance is far more than it sends.
 */
const MAX_REMEMBERED_SIGNATURES = 200;

/**
 * patched() markers (Temporal's patching API): histories recorded before each change replay as
 * they ran. A signed notification counts once, whatever body it comes with (issue 27); a
 * notification's read waits for FOLLOW_UP_MIN_NOTIFIED_READ_INTERVAL_MS after the previous one.
 */
const DEDUPLICATE_BY_SIGNATURE = 'follow-up-deduplicates-by-signature';
const NOTIFIED_READ_INTERVAL = 'follow-up-notified-read-interval';
/**
 * The follow-up hands its event to its client's callbacks workflow, as a run does, so it is
 * delivered within the client's bounds (issue 27: one client's receiver that never answers must
 * not hold every slot of the callback worker); follow-ups recorded before delivered it themselves
 * (tellClient), and replay so.
 */
const HAND_OVER_CALLBACK = 'follow-up-hands-over-callback';

type FollowUpInput = OrderFollowUpInput | AdvancedPaymentFollowUpInput;

/** What sets one kind of followed resource apart: its notifications, its read, its statuses, its event. */
interface FollowedKind {
  notification: SignalDefinition<[UpstreamNotification]>;
  read(activities: PaymentActivities, timeoutMs: number): Promise<UpstreamRead>;
  statusOf(body: JsonValue): { status: string | null; statusDetail: string | null };
  isAwaiting(status: string, statusDetail: string | null): boolean;
  /** The outcome of a final status; null for one the follow-up does not know. */
  outcomeOf(status: string, statusDetail: string | null): FollowUpOutcome | null;
  statusAttribute: typeof searchAttributes.orderStatus;
  /** What the callback event says about the resource, from the latest one known. */
  eventFields(latest: JsonValue): Partial<CallbackEvent>;
}

/**
 * Follows one order whose answer was not final until Mercado Pago settles it (docs/architecture.md,
 * "Following a payment to its final state"), woken by `order` notifications.
 */
export async function orderFollowUpWorkflow(input: OrderFollowUpInput): Promise<FollowUpState> {
  return follow(input, {
    notification: orderNotificationSignal,
    read: (activities, timeoutMs) => activities.readUpstreamOrder({ orderId: input.orderId, timeoutMs }),
    statusOf: (order) => statusFields(order, (body) => body.status_detail),
    isAwaiting: isOrderAwaitingFinalState,
    outcomeOf: outcomeOfFinalOrderStatus,
    statusAttribute: searchAttributes.orderStatus,
    eventFields: (order) => ({ order_id: input.orderId, order }),
  });
}

/**
 * Follows one Wallet Connect advanced payment answered `pending` or `in_process`, woken by the
 * `payment` notifications of the payment it carries, reading `GET /v1/advanced_payments/{id}`.
 */
export async function advancedPaymentFollowUpWorkflow(input: AdvancedPaymentFollowUpInput): Promise<FollowUpState> {
  return follow(input, {
    notification: paymentNotificationSignal,
    read: (activities, timeoutMs) => activities.readUpstreamAdvancedPayment({ advancedPaymentId: input.advancedPaymentId, timeoutMs }),
    statusOf: (advancedPayment) => statusFields(advancedPayment, (body) => firstPaymentOf(body).statusDetail),
    isAwaiting: isAdvancedPaymentAwaitingFinalState,
    outcomeOf: outcomeOfFinalAdvancedPaymentStatus,
    statusAttribute: searchAttributes.paymentStatus,
    eventFields: (advancedPayment) => ({ advanced_payment_id: input.advancedPaymentId, advanced_payment: advancedPayment }),
  });
}

/**
 * Reads the resource when a notification says it changed and, because notifications get lost, on
 * a timer that backs off from FOLLOW_UP_POLL_INITIAL_MS to FOLLOW_UP_POLL_MAX_INTERVAL_MS, until it
 * is final or FOLLOW_UP_HORIZON_MS has passed; a notification's read comes no sooner than
 * FOLLOW_UP_MIN_NOTIFIED_READ_INTERVAL_MS after the previous read. Then it hands its event to the run's client's callbacks workflow. It only ever reads:
 * nothing it learns, and nothing a notification says, makes it write upstream.
 */
async function follow(input: FollowUpInput, kind: FollowedKind): Promise<FollowUpState> {
  const carried = input.carried ?? firstCarry(input, kind);
  const state = carried.state;
  const seenChanges = new Set(carried.seenChanges);
  const seenSignatures = new Map((carried.seenSignatures ?? []).map(({ id, untilMs }) => [id, untilMs]));
  // Carried: a notification handled in the task that continued as new still reads at once.
  let notified = carried.notified ?? false;

  setHandler(followUpStateQuery, () => state);
  setHandler(kind.notification, ({ change, signed }) => {
    state.notifications += 1;
    // What Mercado Pago signed counts once: a replay of its headers with another body is not a new change.
    const signedBefore = signed !== undefined && patched(DEDUPLICATE_BY_SIGNATURE) && !rememberSignature(seenSignatures, signed.id, Date.parse(signed.until));
    if (signedBefore || seenChanges.has(change)) {
      state.duplicateNotifications += 1;
      return;
    }
    if (seenChanges.size >= MAX_REMEMBERED_CHANGES) seenChanges.delete(seenChanges.values().next().value!);
    seenChanges.add(change);
    notified = true;
  });

  const activities = proxyActivities<PaymentActivities>({
    startToCloseTimeout: input.readTimeoutMs + ACTIVITY_TIMEOUT_MARGIN_MS,
    retry: { maximumAttempts: READ_ATTEMPTS },
  });

  let nextDelayMs = carried.nextDelayMs;
  while (state.state === 'awaiting_final_state') {
    const remainingMs = carried.deadlineMs - Date.now();
    if (remainingMs <= 0) {
      state.state = 'horizon_passed';
      break;
    }
    if (workflowInfo().continueAsNewSuggested) {
      const remembered: SeenSignature[] = [...seenSignatures].map(([id, untilMs]) => ({ id, untilMs }));
      await continueAsNew<(input: FollowUpInput) => Promise<FollowUpState>>({
        ...input,
        carried: { state, deadlineMs: carried.deadlineMs, nextDelayMs, seenChanges: [...seenChanges], seenSignatures: remembered, notified },
      });
    }
    const waitMs = Math.min(nextDelayMs, remainingMs);
    const pollAtMs = Date.now() + waitMs;
    state.nextReadAt = new Date(pollAtMs).toISOString();
    const byNotification = await condition(() => notified, waitMs);
    if (byNotification) await keepNotifiedReadsApart(state, input.schedule.minNotifiedReadIntervalMs, pollAtMs);
    notified = false;
    state.nextReadAt = null;
    // A notification reads at once and keeps the pace; a quiet interval backs off.
    if (!byNotification) nextDelayMs = Math.min(nextDelayMs * 2, input.schedule.pollMaxIntervalMs);
    learn(state, kind, await readOrUnreadable(() => kind.read(activities, input.readTimeoutMs)));
  }

  state.settledAt = new Date(Date.now()).toISOString();
  const outcome: FollowUpOutcome = state.state === 'final' ? (kind.outcomeOf(state.status ?? '', state.statusDetail) ?? 'unsettled') : 'unsettled';
  upsertSearchAttributes([{ key: searchAttributes.outcome, value: outcome }]);
  proxySinks<FollowUpSinks>().followUps.ended(outcome);
  const event: CallbackEvent = {
    id: uuid4(),
    type: state.state === 'final' ? 'payment_run.final' : 'payment_run.unsettled',
    created_at: new Date(Date.now()).toISOString(),
    idempotency_key: input.requestedBy.idempotencyKey,
    state: state.state === 'final' ? 'final' : 'horizon_passed',
    ...kind.eventFields(state.latest),
  };
  state.callback = await callBack(input.requestedBy.clientId, event, {
    horizonMs: input.schedule.horizonMs,
    maxRetryIntervalMs: input.schedule.pollMaxIntervalMs,
    timeoutMs: input.readTimeoutMs,
  });
  return state;
}

/**
 * Tells the run's client: `handed_over` once its callbacks workflow has the event (which retries it
 * to the horizon, counted from the hand-over), `not_configured` when the client has no callback URL.
 * The follow-up ends then: how the delivery went is that workflow's to show (docs/api.md, "Callbacks").
 */
function callBack(clientId: string, event: CallbackEvent, schedule: CallbackSchedule): Promise<CallbackOutcome> {
  return patched(HAND_OVER_CALLBACK) ? handOverEvent(clientId, event, schedule, false) : tellClient(clientId, event, schedule);
}

/**
 * Remembers a signed notification until its signature goes stale (the API refuses it after that),
 * forgetting those already stale; false when it was remembered already. Bounded in count too: the
 * soonest to go stale is forgotten first.
 */
function rememberSignature(seen: Map<string, number>, id: string, untilMs: number): boolean {
  for (const [remembered, until] of seen) if (until < Date.now()) seen.delete(remembered);
  if (seen.has(id)) return false;
  if (seen.size >= MAX_REMEMBERED_SIGNATURES) {
    const soonest = [...seen].reduce((earliest, entry) => (entry[1] < earliest[1] ? entry : earliest));
    seen.delete(soonest[0]);
  }
  seen.set(id, untilMs);
  return true;
}

/**
 * Holds a notification's read until `minIntervalMs` after the previous read, or until the poll
 * that was due anyway: however many notifications come, they read at most once per interval.
 * Notifications that come meanwhile are covered by that one read.
 */
async function keepNotifiedReadsApart(state: FollowUpState, minIntervalMs: number | undefined, pollAtMs: number): Promise<void> {
  if (minIntervalMs === undefined || state.lastReadAt === null) return;
  const holdMs = Math.min(Date.parse(state.lastReadAt) + minIntervalMs, pollAtMs) - Date.now();
  if (holdMs > 0 && patched(NOTIFIED_READ_INTERVAL)) await sleep(holdMs);
}

/** Where a new follow-up starts: the answered resource, a first read after FOLLOW_UP_POLL_INITIAL_MS. */
function firstCarry(input: FollowUpInput, kind: FollowedKind): FollowUpCarry {
  const { status, statusDetail } = kind.statusOf(input.answered);
  const state: FollowUpState = {
    state: 'awaiting_final_state',
    status,
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

/** Takes in what a read showed: the latest resource, and whether it is final now. */
function learn(state: FollowUpState, kind: FollowedKind, read: UpstreamRead): void {
  state.reads += 1;
  state.lastReadAt = new Date(Date.now()).toISOString();
  if (read.kind !== 'read' || read.status !== 200 || !isJsonObject(read.body)) return;
  const { status, statusDetail } = kind.statusOf(read.body);
  if (status === null) return;
  state.latest = read.body;
  const changed = status !== state.status || statusDetail !== state.statusDetail;
  state.status = status;
  state.statusDetail = statusDetail;
  if (!kind.isAwaiting(status, statusDetail)) state.state = 'final';
  if (changed) upsertSearchAttributes([{ key: kind.statusAttribute, value: status }]);
}

/** The resource's `status`, and its detail as `detailOf` finds it. */
function statusFields(resource: JsonValue, detailOf: (body: JsonObject) => JsonValue | undefined): { status: string | null; statusDetail: string | null } {
  if (!isJsonObject(resource)) return { status: null, statusDetail: null };
  const { status } = resource;
  const detail = detailOf(resource);
  return { status: typeof status === 'string' ? status : null, statusDetail: typeof detail === 'string' ? detail : null };
}
