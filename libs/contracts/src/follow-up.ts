import { defineQuery, defineSignal, type Sinks } from '@temporalio/workflow';
import { isJsonObject, type JsonObject, type JsonValue } from './json';
import type { PaymentOperation, PaymentWriteResult } from './payment-write';
import type { FollowUpOutcome } from './search-attributes';

/**
 * Following a payment whose answer was not final (docs/architecture.md, "Following a payment to its
 * final state"). The key's run answers as Mercado Pago did and starts a follow-up: a workflow of its
 * own, one per order (Orders) or per payment (Wallet Connect), that waits for Mercado Pago's
 * notifications and reads the resource with backoff until it is final or the horizon passes.
 * Waiting callers never wait for it.
 */
export const ORDER_FOLLOW_UP_WORKFLOW = 'orderFollowUpWorkflow';
export const ADVANCED_PAYMENT_FOLLOW_UP_WORKFLOW = 'advancedPaymentFollowUpWorkflow';

/**
 * What a follow-up follows. An order is read and notified by its id. A Wallet Connect advanced
 * payment is read by its own id (`GET /v1/advanced_payments/{id}`, Wallet Connect "Get payment
 * information"), but Mercado Pago's `payment` notifications name the payment it carries
 * (`payments[0].id`), so its follow-up is found by that one.
 */
export type FollowedResource = { kind: 'order'; orderId: string } | { kind: 'advanced_payment'; advancedPaymentId: string; paymentId: string };

/** The notification topics whose resources are followed: `order` (Orders) and `payment` (Wallet Connect). */
export const FOLLOWED_TOPICS = ['order', 'payment'] as const;
export type FollowedTopic = (typeof FOLLOWED_TOPICS)[number];

/**
 * The follow-up's workflow ID, from what Mercado Pago's notification names (topic and `data.id`):
 * the webhook finds the follow-up with no search. The space keeps every idempotency key (visible
 * ASCII, no spaces) from taking it.
 */
export function notifiedFollowUpWorkflowId(topic: FollowedTopic, dataId: string): string {
  return `${topic}-follow-up ${dataId}`;
}

export function orderFollowUpWorkflowId(orderId: string): string {
  return notifiedFollowUpWorkflowId('order', orderId);
}

export function followUpWorkflowId(resource: FollowedResource): string {
  return resource.kind === 'order' ? orderFollowUpWorkflowId(resource.orderId) : notifiedFollowUpWorkflowId('payment', resource.paymentId);
}

/** Memo field naming the idempotency key whose run started the follow-up: the status resource shows it to that key only. */
export const FOLLOW_UP_REQUESTED_BY_MEMO_FIELD = 'followUpRequestedBy';

/** How often and how long a follow-up reads its resource (FOLLOW_UP_* settings, docs/operations.md). */
export interface FollowUpSchedule {
  pollInitialMs: number;
  pollMaxIntervalMs: number;
  /** The follow-up stops reading, and reports the payment unsettled, this long after it began. */
  horizonMs: number;
  /**
   * A notification never makes a read sooner than this after the previous read
   * (FOLLOW_UP_MIN_NOTIFIED_READ_INTERVAL_MS): however many notifications come, they cost at most
   * one read per interval. Absent from follow-ups started before it existed: no such interval.
   */
  minNotifiedReadIntervalMs?: number;
}

/** What every follow-up's input holds besides its resource. Nothing secret. */
interface FollowUpInputBase {
  /** The run whose answer was not final; its client alone is told when the payment settles. */
  requestedBy: { idempotencyKey: string; clientId: string };
  /** The resource as that answer carried it. */
  answered: JsonValue;
  schedule: FollowUpSchedule;
  readTimeoutMs: number;
  /** Set when the follow-up continued as new: where the previous run left off. */
  carried?: FollowUpCarry;
}

/** Input of an order's follow-up. */
export interface OrderFollowUpInput extends FollowUpInputBase {
  orderId: string;
}

/** Input of a Wallet Connect advanced payment's follow-up. */
export interface AdvancedPaymentFollowUpInput extends FollowUpInputBase {
  advancedPaymentId: string;
  paymentId: string;
}

/** What a follow-up carries across continue-as-new. */
export interface FollowUpCarry {
  state: FollowUpState;
  deadlineMs: number;
  nextDelayMs: number;
  seenChanges: string[];
  /** The signed notifications remembered (absent from runs that continued before they were kept). */
  seenSignatures?: SeenSignature[];
  /** A notification came that has not been read for yet: the new run reads at once (absent: none). */
  notified?: boolean;
}

/** A signed notification the follow-up has acted on, remembered until its signature would be refused as stale. */
export interface SeenSignature {
  id: string;
  /** Milliseconds since the epoch: signed time + WEBHOOK_SIGNATURE_TOLERANCE_MS. */
  untilMs: number;
}

/**
 * One notification about the followed resource, as the webhook passes it on after checking its
 * signature. Only a hint: the follow-up reads the resource to learn its state, so a notification's
 * body is never trusted and never makes anything write upstream.
 */
export interface UpstreamNotification {
  /** What changed, as the notification names it (action, status, detail, version): equal for duplicates. */
  change: string;
  /** ISO 8601 time the API received it. */
  receivedAt: string;
  /**
   * What Mercado Pago signed (absent from notifications passed on before it was sent): `id`, the
   * SHA-256 of the signature's manifest (data.id, x-request-id, ts), the same for every replay of
   * one signed notification whatever body comes with it; `until`, the ISO 8601 time after which
   * the API refuses that signature as stale, so the follow-up need not remember it longer.
   */
  signed?: { id: string; until: string };
}

/** A notification of topic `order`, to an order's follow-up. */
export const orderNotificationSignal = defineSignal<[UpstreamNotification]>('orderNotification');
/** A notification of topic `payment`, to a Wallet Connect payment's follow-up. */
export const paymentNotificationSignal = defineSignal<[UpstreamNotification]>('paymentNotification');

/** The signal that carries a notification of `topic` to its follow-up. */
export function notificationSignalOf(topic: FollowedTopic) {
  return topic === 'order' ? orderNotificationSignal : paymentNotificationSignal;
}

/** Where a follow-up stands: `awaiting_final_state` while it follows, then `final` or `horizon_passed`. */
export interface FollowUpState {
  state: 'awaiting_final_state' | 'final' | 'horizon_passed';
  /** The resource's Mercado Pago status and detail (for an advanced payment, its payment's detail). */
  status: string | null;
  statusDetail: string | null;
  /** The latest resource known: the answer's, then each read's. */
  latest: JsonValue;
  reads: number;
  notifications: number;
  duplicateNotifications: number;
  /** ISO 8601 times. */
  lastReadAt: string | null;
  nextReadAt: string | null;
  settledAt: string | null;
  /** How telling the run's client went: null while following. */
  callback: CallbackOutcome | null;
}

export const followUpStateQuery = defineQuery<FollowUpState>('followUpState');

/**
 * Order statuses a follow-up waits on (Orders "Order status" pages): the payment is being reviewed
 * (`processing`) or waits on the buyer (`action_required`: 3-D Secure, a ticket or a transfer). One
 * exception: `action_required/waiting_capture` waits on the merchant's own capture, which no
 * notification will bring, so it is not followed.
 */
export function isOrderAwaitingFinalState(status: string, statusDetail: string | null): boolean {
  return status === 'processing' || (status === 'action_required' && statusDetail !== 'waiting_capture');
}

/**
 * Payment statuses a follow-up waits on (the "Payment status" list of Mercado Pago's payments, which
 * Wallet Connect's advanced payments share): `pending` (not paid yet) and `in_process` (under review).
 * `authorized` waits on the merchant's capture, like an order's `waiting_capture`: not followed.
 */
export function isAdvancedPaymentAwaitingFinalState(status: string): boolean {
  return status === 'pending' || status === 'in_process';
}

/** Order operations whose success answers with the order. */
const ANSWERS_WITH_ORDER: ReadonlySet<string> = new Set<PaymentOperation>(['order.create', 'order.process', 'order.capture', 'order.cancel', 'order.refund']);

/** A resource a run's answer leaves waiting on its final state, with the status it was answered in. */
export type AwaitingResource = FollowedResource & { status: string; statusDetail: string | null };

/** The resource a run's answer leaves waiting on its final state, or null when the answer is final. */
export function awaitingFinalState(operation: string, result: PaymentWriteResult): AwaitingResource | null {
  if (result.status < 200 || result.status >= 300 || !isJsonObject(result.body)) return null;
  if (ANSWERS_WITH_ORDER.has(operation)) return orderAwaiting(result.body);
  return operation === 'advanced_payment.create' ? advancedPaymentAwaiting(result.body) : null;
}

function orderAwaiting(order: JsonObject): AwaitingResource | null {
  const { id, status, status_detail: statusDetail } = order;
  if (typeof id !== 'string' || typeof status !== 'string') return null;
  const detail = typeof statusDetail === 'string' ? statusDetail : null;
  return isOrderAwaitingFinalState(status, detail) ? { kind: 'order', orderId: id, status, statusDetail: detail } : null;
}

/** Wallet Connect ids are numbers (Wallet Connect "Create payment" reference); its one payment names the detail. */
function advancedPaymentAwaiting(advancedPayment: JsonObject): AwaitingResource | null {
  const { id, status } = advancedPayment;
  const { paymentId, statusDetail } = firstPaymentOf(advancedPayment);
  if (typeof id !== 'number' || !Number.isSafeInteger(id) || typeof status !== 'string' || paymentId === null) return null;
  return isAdvancedPaymentAwaitingFinalState(status) ? { kind: 'advanced_payment', advancedPaymentId: String(id), paymentId, status, statusDetail } : null;
}

/** The id and status detail of an advanced payment's first payment, the one its notifications name. */
export function firstPaymentOf(advancedPayment: JsonObject): { paymentId: string | null; statusDetail: string | null } {
  const payments = advancedPayment.payments;
  const first = Array.isArray(payments) ? payments[0] : undefined;
  if (!isJsonObject(first)) return { paymentId: null, statusDetail: null };
  const { id, status_detail: statusDetail } = first;
  return {
    paymentId: typeof id === 'number' && Number.isSafeInteger(id) ? String(id) : null,
    statusDetail: typeof statusDetail === 'string' ? statusDetail : null,
  };
}

/**
 * The event a client's callback URL receives when one of its runs reaches a final state (docs/api.md,
 * "Callbacks"): a final answer at once, a followed payment settled or still unsettled at the horizon,
 * or a run that gave up. It names only the client's own run.
 */
export interface CallbackEvent {
  id: string;
  type: 'payment_run.final' | 'payment_run.unsettled' | 'payment_run.gave_up';
  created_at: string;
  idempotency_key: string;
  /** `final`; `horizon_passed` when the payment was still not final at the horizon; `gave_up` when no attempt was answered. */
  state: 'final' | 'horizon_passed' | 'gave_up';
  /** The run's operation; absent from a follow-up's events. */
  operation?: string;
  order_id?: string;
  /** The latest order a follow-up knows. */
  order?: JsonValue;
  advanced_payment_id?: string;
  /** The latest advanced payment a follow-up knows. */
  advanced_payment?: JsonValue;
  /** A run answered final at once: Mercado Pago's answer, as the API returned it. */
  answer?: PaymentWriteResult;
}

/** How telling a client went: delivered, no callback URL for it, or never answered 2xx by the horizon. */
export type CallbackOutcome = 'delivered' | 'not_configured' | 'undelivered';

/** How long and how often a callback is retried (FOLLOW_UP_HORIZON_MS, FOLLOW_UP_POLL_MAX_INTERVAL_MS). */
export interface CallbackSchedule {
  horizonMs: number;
  maxRetryIntervalMs: number;
  timeoutMs: number;
}

/**
 * A run's own callback, for a final answer or a give-up, sent by a small workflow of its own so the
 * run answers its callers at once; a followed payment's follow-up sends its callback itself.
 */
export const PAYMENT_RUN_CALLBACK_WORKFLOW = 'paymentRunCallbackWorkflow';

/**
 * One per run, named by the run's ID: a key whose run gave up may run again, and each run tells its
 * client once. (The parent's workflow ID, the idempotency key, is on the callback's event and in the
 * Web UI's parent link.)
 */
export function paymentRunCallbackWorkflowId(runId: string): string {
  return `payment-run-callback ${runId}`;
}

export interface PaymentRunCallbackInput {
  clientId: string;
  event: CallbackEvent;
  schedule: CallbackSchedule;
}

/** A callback to deliver, and whose URL and secret sign it: looked up by the worker, never carried in the input. */
export interface CallbackDelivery {
  clientId: string;
  event: CallbackEvent;
  timeoutMs: number;
}

/**
 * What one delivery attempt did. A non-2xx answer or a network failure is thrown (retryable), so
 * Temporal retries the delivery with backoff until the horizon.
 */
export type CallbackDeliveryResult = { kind: 'delivered'; status: number } | { kind: 'not_configured' };

/** The callback activity, beside the payment activities' reads. */
export interface CallbackActivities {
  /** POSTs the event, signed with the client's secret, to the client's callback URL. */
  deliverCallback(delivery: CallbackDelivery): Promise<CallbackDeliveryResult>;
}

/**
 * What a follow-up reports to the worker that runs it, for the worker's metrics: sinks are Temporal's
 * way out of the workflow sandbox, called once per event and not again on replay.
 */
export interface FollowUpSinks extends Sinks {
  followUps: { ended(outcome: FollowUpOutcome): void };
}
