import { Injectable, Logger } from '@nestjs/common';
import { WorkflowNotFoundError, type WorkflowExecutionStatusName } from '@temporalio/client';
import { runStateQuery, searchAttributes, type JsonValue, type PaymentWriteResult } from '@app/contracts';
import type { paymentWriteWorkflow } from '@app/workflows';
import type { Caller } from '../auth/client-authenticator';
import { ApiProblemException } from '../http/api-problem';
import { TemporalAccess } from '../temporal/temporal-access';

/** Where a key's run stands, as GET /v1/payment-runs/{key} tells its client (docs/api.md). */
export interface PaymentRunStatus {
  idempotency_key: string;
  /** `in_progress` while it calls or waits to retry, `final` once answered, `gave_up` when its budget ran out. */
  state: 'in_progress' | 'final' | 'gave_up';
  operation: string | null;
  order_id: string | null;
  attempts: number;
  upstream_status: number | null;
  started_at: string;
  closed_at: string | null;
  /** The latest upstream resource known: the order or payment the final answer carried. */
  latest: JsonValue | null;
}

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
 * The status of a key's latest run, for the client that sent it: any other client, even of the
 * same merchant, is answered 404 exactly as for a key nobody used, so the resource tells nothing
 * about other clients' keys. Reads Temporal only (describe, the run's state query, its result).
 */
@Injectable()
export class PaymentRunStatuses {
  private readonly logger = new Logger(PaymentRunStatuses.name);

  constructor(private readonly temporal: TemporalAccess) {}

  async read(caller: Caller, idempotencyKey: string): Promise<PaymentRunStatus> {
    const client = this.temporal.client(caller.merchant);
    const handle = client.workflow.getHandle<typeof paymentWriteWorkflow>(idempotencyKey);
    try {
      const run = await this.temporal.withRpcDeadline(client, () => handle.describe());
      if (run.typedSearchAttributes.get(searchAttributes.clientId) !== caller.clientId) throw new ApiProblemException('payment_run_not_found');
      const state = STATES[run.status.name];
      const live = await this.temporal.withRpcDeadline(client, () => client.workflow.getHandle(idempotencyKey, run.runId).query(runStateQuery));
      const result: PaymentWriteResult | null =
        state === 'final' ? await this.temporal.withRpcDeadline(client, () => client.workflow.getHandle<typeof paymentWriteWorkflow>(idempotencyKey, run.runId).result()) : null;
      return {
        idempotency_key: idempotencyKey,
        state,
        operation: run.typedSearchAttributes.get(searchAttributes.operation) ?? null,
        order_id: run.typedSearchAttributes.get(searchAttributes.orderId) ?? null,
        attempts: live.attempts,
        upstream_status: result?.status ?? live.lastUpstreamStatus,
        started_at: run.startTime.toISOString(),
        closed_at: run.closeTime?.toISOString() ?? null,
        latest: result?.body ?? null,
      };
    } catch (error) {
      if (error instanceof ApiProblemException) throw error;
      if (error instanceof WorkflowNotFoundError) throw new ApiProblemException('payment_run_not_found');
      // Refuse rather than guess: the caller asks again.
      this.logger.error(`cannot read the run of idempotency key "${idempotencyKey}": ${error instanceof Error ? error.message : String(error)}`);
      throw new ApiProblemException('internal_error');
    }
  }
}
