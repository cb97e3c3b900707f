import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { JsonValue } from './json';
import type { PaymentWriteResult } from './payment-operation';

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

/**
 * How telling a client went: delivered, no callback URL for it, or never answered 2xx by the
 * horizon, as a follow-up recorded before `follow-up-hands-over-callback` learnt it; or, for later
 * follow-ups, handed to the client's callbacks workflow, which delivers it (docs/api.md, "Callbacks").
 */
export type CallbackOutcome = 'delivered' | 'not_configured' | 'undelivered' | 'handed_over';

/** How long and how often a callback is retried (FOLLOW_UP_HORIZON_MS, FOLLOW_UP_POLL_MAX_INTERVAL_MS). */
export interface CallbackSchedule {
  horizonMs: number;
  maxRetryIntervalMs: number;
  timeoutMs: number;
}

/**
 * A run's own callback, for a final answer or a give-up, as runs recorded before
 * CLIENT_CALLBACKS_WORKFLOW sent it: a small workflow per run. Kept registered so those runs'
 * callback workflows finish.
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
 * The task queue callbacks are delivered on, apart from payment work: a receiver that never answers
 * holds a slot of the callback worker only, never one a payment's attempt or read waits for
 * (docs/architecture.md, "Callbacks apart from payments").
 */
export function callbackTaskQueue(paymentTaskQueue: string): string {
  return `${paymentTaskQueue}-callbacks`;
}

/**
 * One long-lived workflow per client delivers every event of the client's runs (a final answer or a
 * give-up), fed by a signal from the run (from the attempt that received its final answer, or a
 * local activity of its own): a run pays no second workflow (docs/architecture.md, "Callbacks apart
 * from payments").
 */
export const CLIENT_CALLBACKS_WORKFLOW = 'clientCallbacksWorkflow';

/**
 * One per deployment and client: the deployment named by its callback task queue, so that two
 * deployments sharing a namespace (or two test stacks sharing a server) never hand events to each
 * other's workflow, which the other's workers would deliver with their own URLs and secrets.
 */
export function clientCallbacksWorkflowId(callbackQueue: string, clientId: string): string {
  return `client-callbacks ${callbackQueue} ${clientId}`;
}

/** An event handed over to its client's callbacks workflow, with the schedule its run recorded and the worker's delivery bounds. */
export interface QueuedCallback {
  event: CallbackEvent;
  schedule: CallbackSchedule;
  /** How many of this client's events one delivery sends at once (CALLBACK_MAX_CONCURRENT_PER_CLIENT). */
  concurrency: number;
}

/** The signal that hands an event over; a second hand-over of the same event id is ignored. */
export const callbackEventSignal = defineSignal<[QueuedCallback]>('callbackEvent');

/** Events handed over together, as callbackEventSignal would one by one, in this order. */
export interface QueuedCallbacks {
  callbacks: QueuedCallback[];
}

/**
 * The signal that hands several events over at once: the hand-overs one worker made while its
 * signal to the same callbacks workflow was in flight (CALLBACK_HAND_OVERS_PER_SIGNAL,
 * docs/operations.md; docs/architecture.md, "Callbacks apart from payments"). A workflow from
 * before it has no handler for it, which is why only hand-overs marked `together` (runs at steps
 * revision 2, started once every worker has it) go in one.
 */
export const callbackEventsSignal = defineSignal<[QueuedCallbacks]>('callbackEvents');

/** An event still waiting for its next attempt, as the callbacks workflow keeps it (and carries it over continue-as-new). */
export interface PendingCallback extends QueuedCallback {
  /** Workflow time of the hand-over: the horizon counts from it. */
  handedOverAt: number;
  attempts: number;
  dueAt: number;
}

/** An event whose client never answered 2xx before the horizon passed. */
export interface UndeliveredCallback {
  event_id: string;
  idempotency_key: string;
  type: CallbackEvent['type'];
  attempts: number;
  gave_up_at: string;
}

/** What the callbacks workflow shows (its `callbacks` query, in the Web UI too): pending event ids and the latest undelivered events. */
export interface ClientCallbacksState {
  pending: string[];
  undelivered: UndeliveredCallback[];
}

export const clientCallbacksQuery = defineQuery<ClientCallbacksState>('callbacks');

export interface ClientCallbacksInput {
  clientId: string;
  /** Carried over continue-as-new: events waiting, ids already settled (for de-duplication), undelivered ones shown. */
  pending: PendingCallback[];
  settled: string[];
  undelivered: UndeliveredCallback[];
}

/**
 * A hand-over, a local activity of a run or a follow-up: a signal to its client's callbacks workflow
 * on the callback task queue of the worker running it, which it starts if none runs.
 */
export interface CallbackHandOver {
  clientId: string;
  /**
   * The callback task queue, as inputs recorded before the activity derived it from its own task
   * queue carry it, and as a run's attempts still do for workers of those builds (a rolling upgrade).
   * Ignored: the worker's own queue names the deployment whose callbacks workflow takes the event,
   * whatever the input says.
   */
  taskQueue?: string;
  event: CallbackEvent;
  schedule: CallbackSchedule;
  /**
   * The event may go in one `callbackEvents` signal with others (CALLBACK_HAND_OVERS_PER_SIGNAL):
   * set by runs started at steps revision 2 or later, which start only once every worker, the
   * callback workers included, handles that signal (PAYMENT_RUN_STEPS_REVISION). Without it the
   * event goes alone in a `callbackEvent` signal, which every build handles.
   */
  together?: true;
}

/** What a hand-over did: signalled the client's callbacks workflow, or nothing, as the worker has no callback URL for the client. */
export type CallbackHandOverOutcome = 'handed_over' | 'not_configured';

/** Who a run's event is about: all of it that is known before the answer. */
export interface RunEventSubject {
  id: string;
  idempotencyKey: string;
  operation: string;
  /** The order the run's request named or its answer created; null when there is none (Wallet Connect). */
  orderId: string | null;
}

/** A run's event (`payment_run.final` or `payment_run.gave_up`), the same whichever hand-over builds it. */
export function runEvent(subject: RunEventSubject, what: Pick<CallbackEvent, 'type' | 'state' | 'answer'>, createdAtMs: number): CallbackEvent {
  return {
    id: subject.id,
    type: what.type,
    created_at: new Date(createdAtMs).toISOString(),
    idempotency_key: subject.idempotencyKey,
    state: what.state,
    operation: subject.operation,
    ...(subject.orderId === null ? {} : { order_id: subject.orderId }),
    ...(what.answer === undefined ? {} : { answer: what.answer }),
  };
}

/**
 * An attempt's hand-over of its run's final answer (UpstreamRequest's `handOver`): the run's
 * hand-over but the event, which the attempt builds from its answer. `subject.orderId` is the
 * request's order, or null for the answer's.
 */
export interface AttemptHandOver extends Omit<CallbackHandOver, 'event'> {
  subject: RunEventSubject;
}

export interface CallbackHandOverActivities {
  handOverCallback(handOver: CallbackHandOver): Promise<CallbackHandOverOutcome>;
}

/** Some of one client's due events, sent in one local activity. */
export interface CallbackBatch {
  clientId: string;
  events: CallbackEvent[];
  timeoutMs: number;
  /**
   * How many of them are in flight at once (the client's CALLBACK_MAX_CONCURRENT_PER_CLIENT): the
   * next one goes out as soon as one is answered. Absent in batches of workflows recorded before
   * `deliver-due-together`, which were never larger: all at once.
   */
  concurrency?: number;
  /**
   * The activity returns no sooner than this after it started (0 or absent: as soon as the POSTs
   * are answered). Its workflow task stays open meanwhile, so the events handed over in the
   * meantime reach the callbacks workflow together, in one task (docs/architecture.md, "Callbacks
   * apart from payments").
   */
  holdMs?: number;
}

/** Each event's attempt: `failed` (a non-2xx, a timeout, no connection) is retried on the documented schedule. */
export type CallbackBatchResult = Array<{ id: string; kind: 'delivered' | 'not_configured' | 'failed' }>;

export interface CallbackBatchActivities {
  deliverCallbacks(batch: CallbackBatch): Promise<CallbackBatchResult>;
}
