import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  Client,
  WorkflowExecutionAlreadyStartedError,
  WorkflowFailedError,
  type WorkflowHandle,
} from '@temporalio/client';
import {
  FINGERPRINT_MEMO_FIELD,
  PAYMENT_WRITE_WORKFLOW,
  searchAttributes,
  type PaymentWriteInput,
  type PaymentWriteResult,
  type UpstreamRequest,
} from '@app/contracts';
import { API_CONFIG, type ApiConfig } from '../api-config';
import type { PaymentRunOutcome } from './payment-run-outcome';
import { requestFingerprint, upstreamIdempotencyKey, type FingerprintedRequest } from './request-fingerprint';

/** An idempotent payment write, as a controller hands it over after validation. */
export interface PaymentWriteCommand extends FingerprintedRequest {
  idempotencyKey: string;
  /** The upstream call, without the idempotency key this service derives. */
  upstream: Omit<UpstreamRequest, 'idempotencyKey' | 'timeoutMs'>;
  /** Shown as the run's summary in the Web UI. */
  summary: string;
}

/** Starts one workflow run per idempotency key, or attaches to the run the key already has. */
@Injectable()
export class PaymentRuns {
  private readonly logger = new Logger(PaymentRuns.name);

  constructor(
    private readonly client: Client,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {}

  async execute(command: PaymentWriteCommand): Promise<PaymentRunOutcome> {
    const fingerprint = requestFingerprint(command);
    let handle: WorkflowHandle;
    let replayed: boolean;
    try {
      handle = await this.start(command, fingerprint);
      replayed = false;
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) return this.unverifiable(command, error);
      let existing: WorkflowHandle | 'key_reused';
      try {
        existing = await this.existingRun(command.idempotencyKey, fingerprint);
      } catch (cause) {
        return this.unverifiable(command, cause);
      }
      if (existing === 'key_reused') return { kind: 'key_reused' };
      handle = existing;
      replayed = true;
    }
    return this.awaitOutcome(handle, replayed, command);
  }

  /**
   * FAIL on a running run and ALLOW_DUPLICATE_FAILED_ONLY on a closed one: the start succeeds only
   * when this request creates the run, so the common path costs one round trip, and a key whose
   * last run gave up is free for a new run.
   */
  private async start(command: PaymentWriteCommand, fingerprint: string): Promise<WorkflowHandle> {
    const input: PaymentWriteInput = {
      operation: command.operation,
      clientId: command.clientId,
      orderId: command.orderId,
      request: { ...command.upstream, idempotencyKey: upstreamIdempotencyKey(command.idempotencyKey, fingerprint) },
      attemptTimeoutMs: this.config.UPSTREAM_TIMEOUT_MS,
      retry: {
        initialIntervalMs: this.config.UPSTREAM_RETRY_INITIAL_MS,
        maximumIntervalMs: this.config.UPSTREAM_RETRY_MAX_INTERVAL_MS,
        budgetMs: this.config.UPSTREAM_RETRY_BUDGET_MS,
      },
    };
    return this.withRpcDeadline(() =>
      this.client.workflow.start(PAYMENT_WRITE_WORKFLOW, {
        workflowId: command.idempotencyKey,
        taskQueue: this.config.TEMPORAL_TASK_QUEUE,
        args: [input],
        workflowIdConflictPolicy: 'FAIL',
        workflowIdReusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY',
        memo: { [FINGERPRINT_MEMO_FIELD]: fingerprint },
        typedSearchAttributes: [
          { key: searchAttributes.operation, value: command.operation },
          { key: searchAttributes.clientId, value: command.clientId },
          ...(command.orderId === null ? [] : [{ key: searchAttributes.orderId, value: command.orderId }]),
        ],
        staticSummary: command.summary,
      }),
    );
  }

  /** The run that owns the key, if it was started for this same request. */
  private async existingRun(idempotencyKey: string, fingerprint: string): Promise<WorkflowHandle | 'key_reused'> {
    const description = await this.withRpcDeadline(() => this.client.workflow.getHandle(idempotencyKey).describe());
    if (description.memo?.[FINGERPRINT_MEMO_FIELD] !== fingerprint) return 'key_reused';
    return this.client.workflow.getHandle(idempotencyKey, description.runId);
  }

  private async awaitOutcome(
    handle: WorkflowHandle,
    replayed: boolean,
    command: PaymentWriteCommand,
  ): Promise<PaymentRunOutcome> {
    const patience = AbortSignal.timeout(this.config.WAIT_FOR_RESULT_MS);
    try {
      const result = (await this.client.withAbortSignal(patience, () => handle.result())) as PaymentWriteResult;
      return { kind: 'answered', result, replayed };
    } catch (error) {
      if (patience.aborted) return { kind: 'still_running' };
      if (error instanceof WorkflowFailedError) return { kind: 'gave_up' };
      return this.unverifiable(command, error);
    }
  }

  private async withRpcDeadline<T>(call: () => Promise<T>): Promise<T> {
    return this.client.withDeadline(Date.now() + this.config.TEMPORAL_RPC_TIMEOUT_MS, call);
  }

  private unverifiable(command: PaymentWriteCommand, error: unknown): PaymentRunOutcome {
    const reason = error instanceof Error ? error.message : 'the key has no readable run';
    this.logger.error(`cannot read the state of idempotency key "${command.idempotencyKey}": ${reason}`);
    return { kind: 'unverifiable' };
  }
}
