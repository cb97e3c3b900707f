import type { AttemptHandOver } from './callbacks';
import type { JsonValue } from './json';
import type { PaymentOperation } from './payment-operation';

/** One HTTP write to the upstream, as the workflow asks the activity to send it. */
export interface UpstreamRequest {
  /** Which write this is, for the worker's metrics and logs; never sent upstream. */
  operation: PaymentOperation;
  method: 'POST';
  /** Path and query relative to UPSTREAM_BASE_URL, e.g. `/v1/orders/ORD…/process`. */
  path: string;
  /** Sent as X-Idempotency-Key on every attempt, so the upstream turns our retries into replays. */
  idempotencyKey: string;
  /** Absent for endpoints that take no body (process, capture, cancel, full refund). */
  body?: JsonValue;
  /** Abort the attempt after this long; the workflow retries it. */
  timeoutMs: number;
  /**
   * Set when the run's final answer goes to its client's callbacks workflow and nothing must come
   * before it (no owner to record): the attempt whose answer ends the run hands the event over
   * itself, built from that answer, which saves the run a local activity on the way to its answer
   * (docs/architecture.md, "Callbacks apart from payments").
   */
  handOver?: AttemptHandOver;
}

/** An answer the caller must receive as it is: the upstream decided. */
export interface FinalUpstreamAnswer {
  kind: 'final';
  status: number;
  body: JsonValue;
  /** The attempt handed the run's event over (its request's `handOver`): the run has no callback left to send. */
  handedOver?: true;
}

/** An attempt that said nothing definitive: the same request may be sent again with the same key. */
export interface RetryableUpstreamFailure {
  kind: 'retryable';
  /** HTTP status, or null when no response arrived (timeout, refused, reset). */
  status: number | null;
  /** Short description for operators, e.g. `HTTP 503` or `timeout after 2000 ms`. */
  reason: string;
  /** The upstream's Retry-After, in milliseconds, when it sent one. */
  retryAfterMs: number | null;
}

/**
 * An attempt the worker did not send: an operator paused the merchant's upstream attempts
 * (libs/contracts/src/upstream-pause.ts). The run waits, and tries again once the pause is lifted.
 */
export interface PausedUpstreamAttempt {
  kind: 'paused';
  status: null;
  /** Who paused, and why, for the run's state. */
  reason: string;
  /** Code that predates pauses takes this for a retryable failure without Retry-After. */
  retryAfterMs: null;
}

export type UpstreamAttempt = FinalUpstreamAnswer | RetryableUpstreamFailure | PausedUpstreamAttempt;
