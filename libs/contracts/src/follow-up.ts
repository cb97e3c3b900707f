import { defineQuery, defineSignal, type Sinks } from '@temporalio/workflow';
import { isJsonObject, type JsonValue } from './json';
import type { PaymentOperation, PaymentWriteResult } from './payment-write';
import type { FollowUpOutcome } from './search-attributes';

/**
 * Following an order whose answer was not final (docs/architecture.md, "Following a payment to its
 * final state"). The key's run answers as Mercado Pago did and starts a follow-up: a workflow of its
 * own, one per order, that waits for Mercado Pago's notifications and reads the order with backoff
 * until the order is final or the horizon passes. Waiting callers never wait for it.
 */
export const ORDER_FOLLOW_UP_WORKFLOW = 'orderFollowUpWorkflow';

/**
 * The follow-up's workflow ID. The space keeps every idempotency key (visible ASCII, no spaces) from
 * taking it; the webhook finds the follow-up from the notification's `data.id` alone.
 */
export function followUpWorkflowId(orderId: string): string {
  return `order-follow-up ${orderId}`;
}

/** Memo field naming the idempotency key whose run started the follow-up: the status resource shows it to that key only. */
export const FOLLOW_UP_REQUESTED_BY_MEMO_FIELD = 'followUpRequestedBy';

/** How often and how long a follow-up reads its order (FOLLOW_UP_* settings, docs/operations.md). */
export interface FollowUpSchedule {
  pollInitialMs: number;
  pollMaxIntervalMs: number;
  /** The follow-up stops reading, and reports the order unsettled, this long after it began. */
  horizonMs: number;
}

/** Input of a follow-up: the order, the run that asked for it and its answer. Nothing secret. */
export interface OrderFollowUpInput {
  orderId: string;
  /** The run whose answer was not final; its client alone is told when the order settles. */
  requestedBy: { idempotencyKey: string; clientId: string };
  /** The order as that answer carried it. */
  answered: JsonValue;
  schedule: FollowUpSchedule;
  readTimeoutMs: number;
  /** Set when the follow-up continued as new: where the previous run left off. */
  carried?: FollowUpCarry;
}

/** What a follow-up carries across continue-as-new. */
export interface FollowUpCarry {
  state: OrderFollowUpState;
  deadlineMs: number;
  nextDelayMs: number;
  seenChanges: string[];
}

/**
 * One notification about the order, as the webhook passes it on after checking its signature. Only
 * a hint: the follow-up reads the order to learn its state, so a notification's body is never
 * trusted and never makes anything write upstream.
 */
export interface OrderNotification {
  /** What changed, as the notification names it (action, status, detail, version): equal for duplicates. */
  change: string;
  /** ISO 8601 time the API received it. */
  receivedAt: string;
}

export const orderNotificationSignal = defineSignal<[OrderNotification]>('orderNotification');

/** Where a follow-up stands: `awaiting_final_state` while it follows, then `final` or `horizon_passed`. */
export interface OrderFollowUpState {
  state: 'awaiting_final_state' | 'final' | 'horizon_passed';
  orderStatus: string | null;
  statusDetail: string | null;
  /** The latest order known: the answer's, then each read's. */
  latest: JsonValue;
  reads: number;
  notifications: number;
  duplicateNotifications: number;
  /** ISO 8601 times. */
  lastReadAt: string | null;
  nextReadAt: string | null;
  settledAt: string | null;
  /** How telling the run's client went: null while following or when it has no callback URL. */
  callback: 'delivered' | 'not_configured' | 'undelivered' | null;
}

export const followUpStateQuery = defineQuery<OrderFollowUpState>('followUpState');

/**
 * Order statuses a follow-up waits on (Orders "Order status" pages): the payment is being reviewed
 * (`processing`) or waits on the buyer (`action_required`: 3-D Secure, a ticket or a transfer). One
 * exception: `action_required/waiting_capture` waits on the merchant's own capture, which no
 * notification will bring, so it is not followed.
 */
export function isAwaitingFinalState(status: string, statusDetail: string | null): boolean {
  return status === 'processing' || (status === 'action_required' && statusDetail !== 'waiting_capture');
}

/** Order operations whose success answers with the order. Wallet Connect payments are not orders. */
const ANSWERS_WITH_ORDER: ReadonlySet<string> = new Set<PaymentOperation>(['order.create', 'order.process', 'order.capture', 'order.cancel', 'order.refund']);

/** The order a run's answer leaves waiting on its final state, or null when the answer is final. */
export function orderAwaitingFinalState(operation: string, result: PaymentWriteResult): { orderId: string; status: string; statusDetail: string | null } | null {
  if (!ANSWERS_WITH_ORDER.has(operation) || result.status < 200 || result.status >= 300 || !isJsonObject(result.body)) return null;
  const { id, status, status_detail: statusDetail } = result.body;
  if (typeof id !== 'string' || typeof status !== 'string') return null;
  const detail = typeof statusDetail === 'string' ? statusDetail : null;
  return isAwaitingFinalState(status, detail) ? { orderId: id, status, statusDetail: detail } : null;
}

/**
 * The event a client's callback URL receives when a followed payment settles (docs/api.md,
 * "Callbacks"). It names only the client's own run.
 */
export interface CallbackEvent {
  id: string;
  type: 'payment_run.final' | 'payment_run.unsettled';
  created_at: string;
  idempotency_key: string;
  order_id: string;
  /** `final`, or `horizon_passed` when the order was still not final at the horizon. */
  state: 'final' | 'horizon_passed';
  /** The latest order known. */
  order: JsonValue;
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

/** The follow-up's own activity, beside the payment activities' order read. */
export interface FollowUpActivities {
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
