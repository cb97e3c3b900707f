import { setTimeout as sleep } from 'node:timers/promises';
import { Injectable, Logger } from '@nestjs/common';
import { WorkflowNotFoundError, type WorkflowExecutionStatusName } from '@temporalio/client';
import {
  FOLLOW_UP_REQUESTED_BY_MEMO_FIELD,
  followUpStateQuery,
  followUpWorkflowId,
  runStateQuery,
  searchAttributes,
  type FollowedResource,
  type FollowUpState,
  type JsonValue,
  type PaymentWriteResult,
} from '@app/contracts';
import { awaitingFinalState } from '@app/mercadopago';
import type { orderFollowUpWorkflow, paymentWriteWorkflow } from '@app/workflows';
import type { Client } from '@temporalio/client';
import type { Caller } from '../http/auth/client-authenticator';
import { ApiProblemException } from '../http/problems/api-problem';
import { OrderOwnership } from '../orders/order-ownership.service';
import { TemporalAccess } from '../temporal/temporal-access';

/** Where a key's run stands, as GET /v1/payment-runs/{key} tells its client (docs/api.md). */
export interface PaymentRunStatus {
  idempotency_key: string;
  /**
   * `in_progress` while it calls or waits to retry; `final` once answered with a final state, or
   * once its follow-up saw the payment settle; `awaiting_final_state` when the answer left the order
   * or the Wallet Connect payment waiting (`processing`, a 3-D Secure challenge, `in_process`) and no
   * follow-up has seen it settle;
   * `gave_up` when its budget ran out.
   */
  state: 'in_progress' | 'awaiting_final_state' | 'final' | 'gave_up';
  operation: string | null;
  order_id: string | null;
  attempts: number;
  upstream_status: number | null;
  started_at: string;
  closed_at: string | null;
  /** The latest upstream resource known: the order or payment the answer carried, or the follow-up's latest read. */
  latest: JsonValue | null;
  /** The follow-up of an answer that left the payment waiting; null when there is none. */
  follow_up: FollowUpStatus | null;
}

export interface FollowUpStatus {
  state: FollowUpState['state'];
  status: string | null;
  status_detail: string | null;
  reads: number;
  notifications: number;
  duplicate_notifications: number;
  last_read_at: string | null;
  next_read_at: string | null;
  settled_at: string | null;
  callback: FollowUpState['callback'];
}

/** Both follow-up workflows take one input and answer the same state. */
type FollowUpWorkflow = typeof orderFollowUpWorkflow;

const STATES: Readonly<Record<WorkflowExecutionStatusName, PaymentRunStatus['state']>> = {
  RUNNING: 'in_progress',
  PAUSED: 'in_progress',
  COMPLETED: 'final',
  FAILED: 'gave_up',
  TIMED_OUT: 'gave_up',
  TERMINATED: 'gave_up',
  CANCELLED: 'gave_up',
  CONTINUED_AS_NEW: 'in_progress',
  UNSPECIFIED: 'in_progress',
  UNKNOWN: 'in_progress',
};

/**
 * When, after its lookup began, every 404 of the resource is answered. Temporal answers a describe
 * of a key nobody used at once and one of another client's key after reading its run: about a
 * millisecond apart on a local server, enough for a client to learn, by timing, which keys exist.
 * No call Temporal answers with a describe's consistency (a run just started must be found, which
 * its search is not) can ask for a client's runs only, so both 404s leave at this same moment
 * instead: well after a describe of a local server (a few ms) or a remote cluster (tens of ms).
 */
const NOT_FOUND_ANSWERED_AFTER_MS = 50;

/**
 * The status of a key's latest run, for the client that sent it: any other client, even of the
 * same merchant, is answered 404 exactly as for a key nobody used, and at the same moment, so the
 * resource tells nothing about other clients' keys. Reads Temporal only (describe, the run's state
 * query, its result).
 */
@Injectable()
export class PaymentRunStatuses {
  private readonly logger = new Logger(PaymentRunStatuses.name);

  constructor(
    private readonly temporal: TemporalAccess,
    private readonly ownership: OrderOwnership,
  ) {}

  async read(caller: Caller, idempotencyKey: string): Promise<PaymentRunStatus> {
    const lookupStarted = performance.now();
    try {
      return await this.readRun(caller, idempotencyKey);
    } catch (error) {
      if (error instanceof ApiProblemException && error.problem === 'payment_run_not_found') {
        await sleep(Math.max(0, lookupStarted + NOT_FOUND_ANSWERED_AFTER_MS - performance.now()));
      }
      throw error;
    }
  }

  private async readRun(caller: Caller, idempotencyKey: string): Promise<PaymentRunStatus> {
    const client = this.temporal.client(caller.merchant);
    const handle = client.workflow.getHandle<typeof paymentWriteWorkflow>(idempotencyKey);
    try {
      const run = await this.temporal.withRpcDeadline(client, () => handle.describe());
      if (run.typedSearchAttributes.get(searchAttributes.clientId) !== caller.clientId) throw new ApiProblemException('payment_run_not_found');
      const state = STATES[run.status.name];
      const live = await this.temporal.withRpcDeadline(client, () => client.workflow.getHandle(idempotencyKey, run.runId).query(runStateQuery));
      const result: PaymentWriteResult | null =
        state === 'final' ? await this.temporal.withRpcDeadline(client, () => client.workflow.getHandle<typeof paymentWriteWorkflow>(idempotencyKey, run.runId).result()) : null;
      const operation = run.typedSearchAttributes.get(searchAttributes.operation) ?? null;
      // The caller is the run's client, so the order's creator: an order create's run recorded
      // before runs recorded owners themselves gets its record here, before its order id is shown.
      if (result !== null && operation === 'order.create') await this.ownership.recordCreator(caller, result);
      const awaiting = result === null || operation === null ? null : awaitingFinalState(operation, result);
      const followUp = awaiting === null ? null : await this.followUpOf(client, idempotencyKey, awaiting);
      return {
        idempotency_key: idempotencyKey,
        state: awaiting === null ? state : followUp?.state === 'final' ? 'final' : 'awaiting_final_state',
        operation,
        order_id: run.typedSearchAttributes.get(searchAttributes.orderId) ?? null,
        attempts: live.attempts,
        upstream_status: result?.status ?? live.lastUpstreamStatus,
        started_at: run.startTime.toISOString(),
        closed_at: run.closeTime?.toISOString() ?? null,
        latest: followUp?.latest ?? result?.body ?? null,
        follow_up: followUp === null ? null : followUpStatus(followUp),
      };
    } catch (error) {
      if (error instanceof ApiProblemException) throw error;
      if (error instanceof WorkflowNotFoundError) throw new ApiProblemException('payment_run_not_found');
      // Refuse rather than guess: the caller asks again.
      this.logger.error(`cannot read the run of idempotency key "${idempotencyKey}": ${error instanceof Error ? error.message : String(error)}`);
      throw new ApiProblemException('internal_error');
    }
  }

  /**
   * The follow-up this key's run started, by its resource's follow-up ID; null when there is none
   * (turned off, gone with the namespace's retention) or when the ID now holds another run's follow-up.
   */
  private async followUpOf(client: Client, idempotencyKey: string, resource: FollowedResource): Promise<FollowUpState | null> {
    const handle = client.workflow.getHandle<FollowUpWorkflow>(followUpWorkflowId(resource));
    let followUp;
    try {
      followUp = await this.temporal.withRpcDeadline(client, () => handle.describe());
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return null;
      throw error;
    }
    if (followUp.memo?.[FOLLOW_UP_REQUESTED_BY_MEMO_FIELD] !== idempotencyKey) return null;
    const run = client.workflow.getHandle<FollowUpWorkflow>(followUpWorkflowId(resource), followUp.runId);
    return this.temporal.withRpcDeadline(client, () => (followUp.status.name === 'COMPLETED' ? run.result() : run.query(followUpStateQuery)));
  }
}

function followUpStatus(followUp: FollowUpState): FollowUpStatus {
  return {
    state: followUp.state,
    status: followUp.status,
    status_detail: followUp.statusDetail,
    reads: followUp.reads,
    notifications: followUp.notifications,
    duplicate_notifications: followUp.duplicateNotifications,
    last_read_at: followUp.lastReadAt,
    next_read_at: followUp.nextReadAt,
    settled_at: followUp.settledAt,
    callback: followUp.callback,
  };
}
