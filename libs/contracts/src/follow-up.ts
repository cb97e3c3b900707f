import { defineQuery, type Sinks } from '@temporalio/workflow';
import type { CallbackOutcome } from './callbacks';
import type { JsonValue } from './json';
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
 * What a follow-up reports to the worker that runs it, for the worker's metrics: sinks are Temporal's
 * way out of the workflow sandbox, called once per event and not again on replay.
 */
export interface FollowUpSinks extends Sinks {
  followUps: { ended(outcome: FollowUpOutcome): void };
}
