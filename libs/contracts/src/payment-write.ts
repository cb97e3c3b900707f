import type { CallbackSchedule } from './callbacks';
import type { FollowUpSchedule } from './follow-up';
import type { OrderOwnershipInput } from './order-ownership';
import type { PaymentOperation } from './payment-operation';
import type { UpstreamRequest } from './upstream';

/** How long and how often a run keeps retrying an upstream write that said nothing definitive. */
export interface RetrySchedule {
  initialIntervalMs: number;
  maximumIntervalMs: number;
  /** The run gives up when the next attempt would start later than this after the run began. */
  budgetMs: number;
}

/**
 * How each attempt reaches a worker: `first_local`, the first attempt as a local activity inside
 * the run's first workflow task (with eager start, the whole payment is one start and one task
 * completion) and every retry as an activity task of its own, which any worker may take;
 * `regular`, every attempt an activity task; `local`, every attempt a local activity.
 */
export const attemptActivityKinds = ['first_local', 'regular', 'local'] as const;
export type AttemptActivityKind = (typeof attemptActivityKinds)[number];

/** Input of one run: everything it needs, and nothing secret (it is kept in workflow history). */
export interface PaymentWriteInput {
  operation: PaymentOperation;
  clientId: string;
  orderId: string | null;
  request: Omit<UpstreamRequest, 'timeoutMs' | 'operation'>;
  attemptTimeoutMs: number;
  retry: RetrySchedule;
  /** Absent in runs started before the choice existed: those keep replaying as `regular`. */
  attemptActivity?: AttemptActivityKind;
  /**
   * How to follow an order the answer leaves waiting on its final state (libs/contracts/src/follow-up.ts).
   * Absent in runs started before follow-ups existed, and when FOLLOW_UP_ENABLED is off: nothing is followed.
   */
  followUp?: FollowUpSchedule;
  /**
   * Set when the run's client has a callback URL (CLIENT_CALLBACK_URLS): a final answer, or a
   * give-up, is sent to it (docs/api.md, "Callbacks"); an answer left waiting is its follow-up's to send.
   */
  callback?: CallbackSchedule;
  /**
   * Set on an order create when the merchant has more than one client (with one, ownership is never
   * consulted): the run records the order's owner, the run's client, before its answer becomes
   * visible anywhere (libs/contracts/src/order-ownership.ts). Absent in runs started before.
   */
  ownership?: OrderOwnershipInput;
  /**
   * The revision of the run's steps it was started at (PAYMENT_RUN_STEPS_REVISION when the API
   * started it). A run at a revision takes every step that revision includes without asking
   * `patched()` (libs/workflows/src/payment-run/steps-revision.ts). Absent in runs started before.
   */
  stepsRevision?: number;
}

/**
 * The revision the API starts runs at. Raise it, and list the patches it now includes, only in a
 * build whose workers already know it: unversioned, workers roll out before APIs; versioned, an
 * API starts nothing until its own build is routed (docs/operations.md, "Rolling out a new build").
 * 1: the patches listed with their RunStepChange (libs/workflows/src/payment-run/). 2: the run's
 * hand-overs may share a `callbackEvents` signal (CallbackHandOver's `together`), which only
 * callback workers of this build or later handle: runs at 2 start once every worker has it.
 */
export const PAYMENT_RUN_STEPS_REVISION = 2;

/** Live state of a run, for operators (the `runState` query) and for tests. */
export interface PaymentRunState {
  /** `paused`: an operator paused the merchant's upstream attempts; the run waits, its budget on hold. */
  phase: 'calling_upstream' | 'waiting_to_retry' | 'paused' | 'completed' | 'gave_up';
  attempts: number;
  lastUpstreamStatus: number | null;
  lastFailureReason: string | null;
  /** ISO 8601 time of the next attempt while waiting to retry (or of the next look at a pause), else null. */
  nextAttemptAt: string | null;
}

/** Memo field holding the request fingerprint, compared on every attach. */
export const FINGERPRINT_MEMO_FIELD = 'requestFingerprint';
