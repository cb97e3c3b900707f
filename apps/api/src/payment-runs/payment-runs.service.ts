import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  Client,
  WorkflowExecutionAlreadyStartedError,
  WorkflowFailedError,
  WorkflowNotFoundError,
  type WorkflowExecutionDescription,
  type WorkflowExecutionStatusName,
  type WorkflowHandle,
  type WorkflowHandleWithStartDetails,
  type WorkflowIdReusePolicy,
} from '@temporalio/client';
import {
  FINGERPRINT_MEMO_FIELD,
  PAYMENT_RUN_STEPS_REVISION,
  PAYMENT_WRITE_WORKFLOW,
  searchAttributes,
  type OrderOwnershipInput,
  type PaymentWriteInput,
  type PaymentWriteResult,
  type UpstreamRequest,
} from '@app/contracts';
import { externalReferenceOf } from '@app/mercadopago';
import { addLogFields } from '@app/observability';
import { RunConclusions } from '@app/payment-worker';
import type { paymentWriteWorkflow } from '@app/workflows';
import type { Merchant } from '../api-config';
import { RUNS_SECTION, TEMPORAL_SECTION, type RunsSection, type TemporalSection } from '../api-config-sections';
import { ClientQuotas } from '../http/quotas/client-quotas';
import { ApiMetrics, type RunDecision } from '../http/telemetry/api-metrics';
import { DeploymentRouting } from '../temporal/deployment-routing';
import { TemporalAccess } from '../temporal/temporal-access';
import { AnswerMemory } from './answer-memory';
import type { PaymentRunOutcome } from '../http/dialects/payment-run-outcome';
import { requestFingerprint, upstreamIdempotencyKey, type FingerprintedRequest } from './request-fingerprint';

/** The workflow's own signature types each start's arguments and each result. */
type PaymentWriteWorkflow = typeof paymentWriteWorkflow;

/** Statuses of a run whose result is, or will be, the answer to every request with its key. */
const ANSWERING_STATUSES: ReadonlySet<WorkflowExecutionStatusName> = new Set(['RUNNING', 'PAUSED', 'COMPLETED']);
/** Each round either settles the key or found a race; more than a few means something is wrong. */
const MAX_START_ROUNDS = 3;
const RUN_TIMEOUT_MARGIN_MS = 60_000;
/** How long after a failed read of the namespace's retention the next one may be tried. */
const RETENTION_RETRY_MS = 30_000;

/** Keys are the merchant's own: the same key of two merchants names two runs (keys hold no spaces). */
function memoryKey({ merchant, idempotencyKey }: Pick<PaymentWriteCommand, 'merchant' | 'idempotencyKey'>): string {
  return `${merchant.namespace} ${idempotencyKey}`;
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** An idempotent payment write, as a controller hands it over after validation. */
export interface PaymentWriteCommand extends FingerprintedRequest {
  /** Whose namespace holds the key's run: keys are the merchant's own. */
  merchant: Merchant;
  idempotencyKey: string;
  /** The upstream call, without the idempotency key this service derives. */
  upstream: Omit<UpstreamRequest, 'idempotencyKey' | 'timeoutMs' | 'operation'>;
  /** Shown as the run's summary in the Web UI. */
  summary: string;
  /** For an order create: how its run records the order's owner (PaymentWriteInput.ownership). */
  ownership?: OrderOwnershipInput;
  /**
   * Done with a run's final answer before it is remembered or given to anyone (the creator of an
   * order a run recorded before runs did is recorded this way); when it fails, the request answers
   * unverifiable and the next one with the key tries again.
   */
  settle?: (result: PaymentWriteResult) => Promise<void>;
}

/**
 * Starts one workflow run per idempotency key in the merchant's namespace, or attaches to the run
 * the key already has there.
 */
@Injectable()
export class PaymentRuns {
  private readonly logger = new Logger(PaymentRuns.name);
  private readonly memory: AnswerMemory;
  /** Each namespace's retention, once read: no answer is remembered for longer than Temporal keeps its key. */
  private readonly retentions = new Map<string, { ms: number | null; retryAt: number }>();
  /** Run slots (ClientQuotas) bound to a started run's end, which execute must not release. */
  private readonly slotsHeldByRuns = new Set<() => void>();

  constructor(
    private readonly temporal: TemporalAccess,
    private readonly routing: DeploymentRouting,
    @Inject(RUNS_SECTION) private readonly runs: RunsSection,
    @Inject(TEMPORAL_SECTION) private readonly temporalSettings: TemporalSection,
    private readonly metrics: ApiMetrics,
    private readonly quotas: ClientQuotas,
    private readonly conclusions: RunConclusions,
  ) {
    this.memory = new AnswerMemory(runs.answerMemory.maxBytes);
    metrics.observeAnswerMemory(() => this.memory.size);
  }

  /** Whether answerFromMemory would answer the merchant's key now (replay-front.ts asks, before the request is read). */
  remembers(merchant: Merchant, idempotencyKey: string): boolean {
    return this.memory.holds(memoryKey({ merchant, idempotencyKey }));
  }

  /**
   * The key's outcome if this process remembers its answer, with no Temporal call: this very
   * request's answer replayed, or 409 for another request. Either says only what the key's run
   * says to every caller (a replay is the same client's, on an order it was let through to: the
   * fingerprint holds both), so it comes before an order's ownership is looked up. Null otherwise.
   */
  answerFromMemory(command: PaymentWriteCommand): PaymentRunOutcome | null {
    const remembered = this.memory.recall(memoryKey(command));
    if (remembered === null) return null;
    if (remembered.fingerprint !== requestFingerprint(command)) {
      this.decided(command, 'key_reused_remembered', remembered.runId);
      return { kind: 'key_reused' };
    }
    this.decided(command, 'replayed_remembered', remembered.runId);
    return { kind: 'answered', result: remembered.result, replayed: true };
  }

  /**
   * Start or attach, in as many rounds as races need (a few at most): the key's run is ours if our
   * start succeeded; otherwise whichever run holds the key decides, by its fingerprint and status.
   * For a key answerFromMemory did not answer (callers ask it first).
   *
   * A start needs one of the client's run slots (ClientQuotas, CLIENT_RUNS_IN_FLIGHT). Without
   * one, nothing is started: the key's run, if it has one, answers as usual (a client retrying
   * its own key is never refused), and a key with no run to answer is refused with 429.
   */
  async execute(command: PaymentWriteCommand): Promise<PaymentRunOutcome> {
    const slot = this.quotas.tryTakeRunSlot(command.merchant, command.clientId);
    try {
      return await this.startOrAttach(command, slot);
    } finally {
      // Handed to a started run, the release is already bound to its end (holdUntilEnd); idempotent.
      if (slot !== null && !this.slotsHeldByRuns.has(slot)) slot();
    }
  }

  private async startOrAttach(command: PaymentWriteCommand, slot: (() => void) | null): Promise<PaymentRunOutcome> {
    const fingerprint = requestFingerprint(command);
    const client = this.temporal.client(command.merchant);
    let reusePolicy: WorkflowIdReusePolicy = 'REJECT_DUPLICATE';
    for (let round = 0; round < MAX_START_ROUNDS; round += 1) {
      let started: WorkflowHandleWithStartDetails<PaymentWriteWorkflow> | null = null;
      const epoch = this.conclusions.currentEpoch;
      if (slot !== null) {
        try {
          started = await this.start(command, fingerprint, reusePolicy);
        } catch (error) {
          // Already started, or we cannot tell (a timeout may hide a run that was created): look.
          if (!(error instanceof WorkflowExecutionAlreadyStartedError)) this.logUnclear(command, error);
        }
      }
      if (started !== null && slot !== null) {
        this.decided(command, 'started', started.firstExecutionRunId);
        const handle = client.workflow.getHandle<PaymentWriteWorkflow>(command.idempotencyKey, started.firstExecutionRunId);
        // A run whose first task came back to the hosted workers may be answered by them (RunConclusions).
        const outcome = await this.awaitOutcome(client, handle, false, command, started.eagerlyStarted ? { runId: started.firstExecutionRunId, epoch } : null);
        if (outcome.kind === 'still_running') this.holdUntilEnd(client, handle, slot);
        return this.remembering(command, fingerprint, started.firstExecutionRunId, null, outcome);
      }
      let holder: WorkflowExecutionDescription;
      try {
        holder = await this.temporal.withRpcDeadline(client, () => client.workflow.getHandle(command.idempotencyKey).describe());
      } catch (error) {
        if (slot === null && error instanceof WorkflowNotFoundError) throw this.quotas.tooManyRuns(command.merchant, command.clientId);
        return this.unverifiable(command, error);
      }
      if (holder.memo?.[FINGERPRINT_MEMO_FIELD] !== fingerprint) {
        this.decided(command, 'key_reused', holder.runId);
        return { kind: 'key_reused' };
      }
      if (ANSWERING_STATUSES.has(holder.status.name)) {
        this.decided(command, 'attached', holder.runId);
        const outcome = await this.awaitOutcome(client, client.workflow.getHandle<PaymentWriteWorkflow>(command.idempotencyKey, holder.runId), true, command);
        return this.remembering(command, fingerprint, holder.runId, holder.closeTime ?? null, outcome);
      }
      // The same request's last run ended without an answer: only this request may start anew.
      if (slot === null) throw this.quotas.tooManyRuns(command.merchant, command.clientId);
      reusePolicy = 'ALLOW_DUPLICATE_FAILED_ONLY';
    }
    return this.unverifiable(command, new Error(`no stable run after ${MAX_START_ROUNDS} rounds`));
  }

  /**
   * FAIL on a running run and, by default, REJECT_DUPLICATE on a closed one: a start succeeds
   * only when this request creates the run, so "did I start it?" has an exact answer, the common
   * path costs one round trip, and no closed run ever admits a different request.
   */
  private async start(command: PaymentWriteCommand, fingerprint: string, reusePolicy: WorkflowIdReusePolicy): Promise<WorkflowHandleWithStartDetails<PaymentWriteWorkflow>> {
    const input: PaymentWriteInput = {
      operation: command.operation,
      clientId: command.clientId,
      orderId: command.orderId,
      request: { ...command.upstream, idempotencyKey: upstreamIdempotencyKey(command.idempotencyKey, fingerprint) },
      attemptTimeoutMs: this.runs.upstreamTimeoutMs,
      retry: this.runs.retry,
      attemptActivity: this.runs.attemptActivity,
      ...(this.runs.followUp === null ? {} : { followUp: this.runs.followUp }),
      // Only runs of a client with a callback URL start one (docs/api.md, "Callbacks"): the others pay nothing.
      ...(command.merchant.callbacks.has(command.clientId) ? { callback: this.runs.callback } : {}),
      ...(command.ownership === undefined ? {} : { ownership: command.ownership }),
      stepsRevision: PAYMENT_RUN_STEPS_REVISION,
    };
    const externalReference = externalReferenceOf(command.body);
    // Starts go eager through the hosted workers' native connection while they run and this build is current.
    const { client, requestEagerStart } = await this.routing.starting(command.merchant);
    return this.temporal.withRpcDeadline(client, () =>
      client.workflow.start<PaymentWriteWorkflow>(PAYMENT_WRITE_WORKFLOW, {
        workflowId: command.idempotencyKey,
        taskQueue: this.temporalSettings.taskQueue,
        args: [input],
        workflowIdConflictPolicy: 'FAIL',
        workflowIdReusePolicy: reusePolicy,
        // A run nobody executes (no worker for this long) must not hold its key forever; ending it
        // is safe, because a new run for the same request sends the same upstream key.
        workflowExecutionTimeout: this.runExecutionTimeoutMs(),
        memo: { [FINGERPRINT_MEMO_FIELD]: fingerprint },
        typedSearchAttributes: [
          { key: searchAttributes.operation, value: command.operation },
          { key: searchAttributes.clientId, value: command.clientId },
          ...(command.orderId === null ? [] : [{ key: searchAttributes.orderId, value: command.orderId }]),
          ...(externalReference === null ? [] : [{ key: searchAttributes.externalReference, value: externalReference }]),
        ],
        staticSummary: command.summary,
        requestEagerStart,
      }),
    );
  }

  /**
   * Waits up to WAIT_FOR_RESULT_MS for a run known to exist. Anything short of its result means
   * "not finished yet" to the caller, who retries with the same key: never "unverifiable", which
   * would suggest nothing had started.
   *
   * A run started eagerly (`eager`) is first waited for in this process: when the hosted workers
   * report that the server accepted the task completing it, its result is the answer, without
   * asking Temporal for it; whatever else they report (or when they stop) sends the wait to
   * Temporal, the way every other run is waited for (docs/architecture.md, "Answering from the
   * hosted worker").
   */
  private async awaitOutcome(
    client: Client,
    handle: WorkflowHandle<PaymentWriteWorkflow>,
    replayed: boolean,
    command: PaymentWriteCommand,
    eager: { runId: string; epoch: number } | null = null,
  ): Promise<PaymentRunOutcome> {
    const patience = AbortSignal.timeout(this.runs.waitForResultMs);
    const waiting = this.metrics.waitsInFlight.labels({ operation: command.operation });
    waiting.inc();
    try {
      if (eager !== null) {
        const concluded = await this.conclusions.conclusion(eager.runId, eager.epoch, patience);
        addLogFields({ resultFrom: concluded.kind === 'returned' ? 'hosted_worker' : 'temporal' });
        // The workflow's own return value, decoded as handle.result() decodes it.
        if (concluded.kind === 'returned') return { kind: 'answered', result: concluded.result as PaymentWriteResult, replayed };
        if (patience.aborted) return { kind: 'still_running' };
      }
      // The SDK only aborts a call in flight; racing the signal also covers the gap between long polls.
      const outOfPatience = new Promise<never>((_resolve, reject) => patience.addEventListener('abort', () => reject(patience.reason as Error)));
      const result = await Promise.race([client.withAbortSignal(patience, () => handle.result()), outOfPatience]);
      return { kind: 'answered', result, replayed };
    } catch (error) {
      if (error instanceof WorkflowFailedError) return { kind: 'gave_up' };
      if (!patience.aborted) this.logger.warn(`waiting on idempotency key "${command.idempotencyKey}" failed: ${describeError(error)}`);
      return { kind: 'still_running' };
    } finally {
      waiting.dec();
    }
  }

  /**
   * Keeps a started run's slot until this instance sees the run end: a wait on its result in the
   * background, bounded by the run's execution timeout (it has ended by then). A wait that fails
   * (Temporal unreachable, the API shutting down) frees the slot early: the quota then
   * undercounts, never strands a client (docs/operations.md, "Quotas").
   */
  private holdUntilEnd(client: Client, handle: WorkflowHandle<PaymentWriteWorkflow>, slot: () => void): void {
    this.slotsHeldByRuns.add(slot);
    const lifetime = AbortSignal.timeout(this.runExecutionTimeoutMs());
    void client
      .withAbortSignal(lifetime, () => handle.result())
      .catch(() => undefined)
      .finally(() => {
        this.slotsHeldByRuns.delete(slot);
        slot();
      });
  }

  private runExecutionTimeoutMs(): number {
    return this.runs.retry.budgetMs + 2 * this.runs.upstreamTimeoutMs + RUN_TIMEOUT_MARGIN_MS;
  }

  /**
   * Settles a completed run's final answer (PaymentWriteCommand.settle), then keeps it in the
   * answer memory, until ANSWER_MEMORY_TTL_MS from now
   * or the end of the namespace's retention after the run closed, whichever comes first. The
   * retention is read once (the first answer waits for that one call); while it cannot be read,
   * nothing is remembered and the next request asks Temporal again.
   */
  private async remembering(command: PaymentWriteCommand, fingerprint: string, runId: string, closedAt: Date | null, outcome: PaymentRunOutcome): Promise<PaymentRunOutcome> {
    if (outcome.kind !== 'answered') return outcome;
    try {
      await command.settle?.(outcome.result);
    } catch (error) {
      return this.unverifiable(command, error);
    }
    if (this.runs.answerMemory.maxBytes === 0) return outcome;
    const retentionMs = await this.namespaceRetentionMs(command.merchant);
    if (retentionMs !== null) {
      const expiresAt = Math.min(Date.now() + this.runs.answerMemory.ttlMs, (closedAt?.getTime() ?? Date.now()) + retentionMs);
      this.memory.remember(memoryKey(command), { fingerprint, runId, result: outcome.result }, expiresAt);
    }
    return outcome;
  }

  /**
   * The merchant's namespace's retention, read once. A failed read is retried no sooner than
   * RETENTION_RETRY_MS later, so a Temporal that refuses it costs no call per payment.
   */
  private async namespaceRetentionMs(merchant: Merchant): Promise<number | null> {
    const retention = this.retentions.get(merchant.namespace) ?? { ms: null, retryAt: 0 };
    this.retentions.set(merchant.namespace, retention);
    if (retention.ms !== null) return retention.ms;
    if (Date.now() < retention.retryAt) return null;
    const client = this.temporal.client(merchant);
    try {
      const { config } = await this.temporal.withRpcDeadline(client, () => client.workflowService.describeNamespace({ namespace: merchant.namespace }));
      const ttl = config?.workflowExecutionRetentionTtl;
      if (ttl?.seconds === undefined || ttl.seconds === null) throw new Error('the namespace has no retention');
      retention.ms = Number(ttl.seconds) * 1000 + Math.floor((ttl.nanos ?? 0) / 1e6);
    } catch (error) {
      retention.retryAt = Date.now() + RETENTION_RETRY_MS;
      this.logger.warn(`answers are not remembered: the retention of namespace "${merchant.namespace}" is unreadable (${describeError(error)})`);
    }
    return retention.ms;
  }

  /**
   * Counts how the key was settled, and names the decision and the run in this request's log
   * fields: its one `request answered` line carries them, rather than a line of its own per request.
   */
  private decided(command: PaymentWriteCommand, decision: RunDecision, runId: string): void {
    this.metrics.runDecisions.inc({ operation: command.operation, decision });
    addLogFields({ workflowId: command.idempotencyKey, runId, runDecision: decision });
  }

  private unverifiable(command: PaymentWriteCommand, error: unknown): PaymentRunOutcome {
    this.metrics.runDecisions.inc({ operation: command.operation, decision: 'unverifiable' });
    this.logger.error(`cannot read the state of idempotency key "${command.idempotencyKey}": ${describeError(error)}`);
    return { kind: 'unverifiable' };
  }

  private logUnclear(command: PaymentWriteCommand, error: unknown): void {
    this.logger.warn(`start for idempotency key "${command.idempotencyKey}" gave no clear answer (${describeError(error)}); looking it up`);
  }
}
