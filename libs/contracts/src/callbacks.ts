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
