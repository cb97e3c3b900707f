import { setTimeout as sleep } from 'node:timers/promises';
import { Inject, Injectable } from '@nestjs/common';
import { ApplicationFailure, Context } from '@temporalio/activity';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { PAYMENT_WORKER_SECTION, type ClientCallbacks, type MerchantAccount, type PaymentWorkerSection } from '@app/config';
import {
  CALLBACK_REFUSED,
  CALLBACK_UNANSWERED,
  FORBIDDEN_UPSTREAM_REQUEST,
  type AdvancedPaymentReadRequest,
  type AttemptHandOver,
  CLIENT_CALLBACKS_WORKFLOW,
  callbackEventSignal,
  callbackEventsSignal,
  callbackTaskQueue,
  clientCallbacksWorkflowId,
  type CallbackActivities,
  type CallbackBatch,
  type CallbackBatchActivities,
  type CallbackBatchResult,
  type CallbackDelivery,
  type CallbackHandOver,
  type CallbackHandOverActivities,
  type CallbackHandOverOutcome,
  type ClientCallbacksInput,
  type QueuedCallback,
  type QueuedCallbacks,
  type CallbackDeliveryResult,
  type CallbackEvent,
  type FinalUpstreamAnswer,
  type OrderOwnershipActivities,
  type OrderReadRequest,
  type UpstreamRead,
  type PaymentActivities,
  type UpstreamAttempt,
  type UpstreamRequest,
  runEvent,
} from '@app/contracts';
import { answeredOrderId, awaitingFinalState, forbiddenUpstreamRequest } from '@app/mercadopago';
import { postCallback } from './callback-sender';
import { mapWithConcurrency } from './map-with-concurrency';
import { recordOrderOwner } from './order-owner-record';
import { SignalCoalescer } from './signal-coalescer';
import { UpstreamHttpClient, type UpstreamAccount } from './upstream-http-client';
import type { KnownUpstreamPause } from './upstream-pause-watch';
import { WorkerMetrics, type CallbackDeliveryOutcome } from './worker-metrics';

/**
 * How long the attempt that received a final answer waits for Temporal to take its hand-over: the
 * answer is in hand, so a slow Temporal must not hold it until the attempt's own timeout (the
 * upstream's timeout plus a 5 s margin), which would lose the answer and send the write again.
 */
export const ATTEMPT_HAND_OVER_DEADLINE_MS = 2_000;

/**
 * The most one hand-over signal carries of events' JSON, unless a single event is larger: well under
 * Temporal's 2 MiB payload limit (and its 512 KiB warning), events carrying Mercado Pago's answer.
 */
const HAND_OVER_SIGNAL_BYTES = 256 * 1024;

/** The worker's bounds on callback hand-overs and deliveries (docs/operations.md). */
export type CallbackLimits = Pick<PaymentWorkerSection, 'CALLBACK_MAX_CONCURRENT_PER_CLIENT' | 'CALLBACK_ATTEMPT_TIMEOUT_MS' | 'CALLBACK_HAND_OVERS_PER_SIGNAL'>;

/** The worker's implementation of the activities the payment, follow-up and callback workflows proxy. */
@Injectable()
export class PaymentActivitiesService {
  /** This process's hand-overs, one signal at a time per callbacks workflow (CALLBACK_HAND_OVERS_PER_SIGNAL above 1). */
  private readonly handOvers: SignalCoalescer<QueuedCallback>;

  constructor(
    private readonly upstream: UpstreamHttpClient,
    private readonly metrics: WorkerMetrics,
    @Inject(PAYMENT_WORKER_SECTION) private readonly limits: CallbackLimits,
  ) {
    this.handOvers = new SignalCoalescer({
      maxItems: limits.CALLBACK_HAND_OVERS_PER_SIGNAL,
      maxBytes: HAND_OVER_SIGNAL_BYTES,
      sizeOf: (queued) => Buffer.byteLength(JSON.stringify(queued)),
    });
  }

  /**
   * The activities of one merchant's worker: the token and the callbacks come from the namespace
   * the worker polls, so a run can only ever spend the credentials, and reach the clients, of the
   * merchant whose namespace holds it. Its attempts are held while the merchant's `pause` says so.
   */
  forMerchant(merchant: MerchantAccount, pause: KnownUpstreamPause): PaymentActivities & CallbackActivities & OrderOwnershipActivities & CallbackHandOverActivities {
    return {
      recordOrderOwner,
      sendUpstreamRequest: (request) => this.sendUpstreamRequest(request, merchant, pause),
      readUpstreamOrder: (request) => this.readUpstreamOrder(request, merchant),
      readUpstreamAdvancedPayment: (request) => this.readUpstreamAdvancedPayment(request, merchant),
      // Follow-ups' and legacy per-run callback workflows' attempts scheduled here before they moved
      // to the callback task queue (patch tell-client-on-callback-queue, libs/workflows/src/client-callback.ts).
      deliverCallback: (delivery) => this.deliverCallback(delivery, merchant.callbacks),
      // Given up when the local activity is (its timeout, or the worker shutting down), which then retries.
      handOverCallback: (handOver) => this.handOverCallback(handOver, merchant.callbacks, Context.current().cancellationSignal),
    };
  }

  /**
   * The callback worker's activities, on its own task queue (docs/architecture.md, "Callbacks apart
   * from payments"): the callbacks workflows' batches, and the attempts of a follow-up recorded
   * before it handed its event over (or of a legacy per-run callback workflow).
   */
  callbacksFor(merchant: MerchantAccount): CallbackBatchActivities & CallbackActivities {
    return {
      deliverCallbacks: (batch) => this.deliverCallbacks(batch, merchant.callbacks),
      deliverCallback: (delivery) => this.deliverCallback(delivery, merchant.callbacks),
    };
  }

  /**
   * A run's or a follow-up's local activity (or the attempt's, handOverAnswer): hands its event to
   * the client's callbacks workflow (through the worker's own client: same namespace and payload
   * codec). A signal, which costs the server less than a signal-with-start (0.5 ms of 4.7 at the
   * median on the dev server, measured side by side), and a signal-with-start when no such workflow
   * runs yet (a client's first event, or one an operator ended). The worker's bounds travel with the
   * event: CALLBACK_ATTEMPT_TIMEOUT_MS cuts the recorded timeout, CALLBACK_MAX_CONCURRENT_PER_CLIENT
   * caps the POSTs in flight at once. A client the merchant has no callback URL for is not told, as
   * deliverCallback would not tell it: no workflow starts for it.
   *
   * The callback task queue is this worker's own task queue's (`info.taskQueue`, which for a local
   * activity is the workflow's): only the payment worker registers this activity, and every caller
   * (the run's and the follow-up's local activities, the run's attempt) runs on the workflow's task
   * queue, so it is the queue the workflow would name, and an input naming another is not followed.
   *
   * With CALLBACK_HAND_OVERS_PER_SIGNAL above 1, the hand-overs marked `together` (runs at steps
   * revision 2 or later) this process makes to one callbacks workflow while its signal there is in
   * flight wait for it and go together in one signal (`callbackEvents`): the server writes one
   * signal instead of several (docs/architecture.md, "Callbacks apart from payments"). Alone, or
   * unmarked (older runs, follow-ups), an event goes at once in a `callbackEvent` signal, as before. `caller` aborting gives this hand-over up (rejecting) without stopping a signal that
   * carries others' events too; its event may then still arrive, which its id makes harmless.
   */
  private async handOverCallback({ clientId, event, schedule, together }: CallbackHandOver, callbacks: ClientCallbacks, caller: AbortSignal): Promise<CallbackHandOverOutcome> {
    const { client, info, log } = Context.current();
    if (!callbacks.has(clientId)) {
      this.countCallback('not_configured');
      log.info('callback not configured', { clientId, eventId: event.id });
      return 'not_configured';
    }
    const taskQueue = callbackTaskQueue(info.taskQueue);
    const workflowId = clientCallbacksWorkflowId(taskQueue, clientId);
    const queued: QueuedCallback = {
      event,
      schedule: { ...schedule, timeoutMs: Math.min(schedule.timeoutMs, this.limits.CALLBACK_ATTEMPT_TIMEOUT_MS) },
      concurrency: this.limits.CALLBACK_MAX_CONCURRENT_PER_CLIENT,
    };
    const send = (queuedCallbacks: QueuedCallback[], signal: AbortSignal) =>
      client.withAbortSignal(signal, () => signalCallbacks(client, workflowId, taskQueue, clientId, queuedCallbacks));
    if (this.limits.CALLBACK_HAND_OVERS_PER_SIGNAL === 1 || together !== true) await send([queued], caller);
    // Per namespace too: each merchant's worker has its own, and a workflow ID is unique only within one.
    else await this.handOvers.submit(`${info.workflowNamespace} ${workflowId}`, queued, send, caller);
    return 'handed_over';
  }

  /**
   * One attempt for each event, the batch's `concurrency` in flight at once (all of them in the
   * batches of workflows recorded before, never larger than it); each result on its own. Returns no
   * sooner than the batch's `holdMs` after it started, so that the events handed over meanwhile
   * wait for the workflow's next task together.
   */
  private async deliverCallbacks({ clientId, events, timeoutMs, concurrency = events.length, holdMs = 0 }: CallbackBatch, callbacks: ClientCallbacks): Promise<CallbackBatchResult> {
    const startedAt = Date.now();
    const results = await this.attemptEach(clientId, events, timeoutMs, concurrency, callbacks);
    const left = holdMs - (Date.now() - startedAt);
    // A worker shutting down cancels the hold (rejecting the sleep): the attempts are made, so they are answered.
    if (left > 0) await sleep(left, undefined, { signal: Context.current().cancellationSignal }).catch(() => undefined);
    return results;
  }

  private attemptEach(clientId: string, events: readonly CallbackEvent[], timeoutMs: number, concurrency: number, callbacks: ClientCallbacks): Promise<CallbackBatchResult> {
    return mapWithConcurrency(events, concurrency, async (event) => {
      try {
        const { kind } = await this.deliverCallback({ clientId, event, timeoutMs }, callbacks);
        return { id: event.id, kind };
      } catch (error) {
        // Counted and logged by deliverCallback; the workflow reschedules it.
        if (error instanceof ApplicationFailure) return { id: event.id, kind: 'failed' as const };
        throw error;
      }
    });
  }

  /**
   * One attempt to tell a client about its run. Anything but a 2xx throws a retryable
   * failure, so the workflow's retry policy backs off and tries again until its horizon. A client
   * the merchant has no callback for (another merchant's among them) is simply not told. The POST
   * waits at most CALLBACK_ATTEMPT_TIMEOUT_MS, whatever timeout the workflow recorded: a receiver
   * that never answers holds a slot that long per attempt (docs/operations.md).
   */
  private async deliverCallback(delivery: CallbackDelivery, callbacks: ClientCallbacks): Promise<CallbackDeliveryResult> {
    const context = Context.current();
    // Neither the event (the order) nor the URL or secret is logged.
    const fields = { clientId: delivery.clientId, eventId: delivery.event.id };
    const callback = callbacks.get(delivery.clientId);
    if (callback === undefined) {
      this.countCallback('not_configured');
      context.log.info('callback not configured', fields);
      return { kind: 'not_configured' };
    }
    const timeoutMs = Math.min(delivery.timeoutMs, this.limits.CALLBACK_ATTEMPT_TIMEOUT_MS);
    const answer = await postCallback(callback, delivery.event, timeoutMs, context.cancellationSignal);
    if (answer.kind === 'unanswered') {
      this.countCallback('network_error');
      context.log.warn('callback not delivered', { ...fields, reason: answer.reason });
      throw ApplicationFailure.retryable(`callback not delivered: ${answer.reason}`, CALLBACK_UNANSWERED);
    }
    if (answer.status < 200 || answer.status >= 300) {
      this.countCallback('refused_status');
      context.log.warn('callback refused', { ...fields, status: answer.status });
      throw ApplicationFailure.retryable(`callback refused: HTTP ${answer.status}`, CALLBACK_REFUSED);
    }
    this.countCallback('delivered');
    context.log.info('callback delivered', { ...fields, status: answer.status });
    return { kind: 'delivered', status: answer.status };
  }

  private countCallback(result: CallbackDeliveryOutcome): void {
    this.metrics.callbackDeliveries.inc({ result });
  }

  private async readUpstreamOrder(request: OrderReadRequest, merchant: UpstreamAccount): Promise<UpstreamRead> {
    const context = Context.current();
    return logged('order read', await this.upstream.readOrder(request.orderId, merchant, request.timeoutMs, context.cancellationSignal));
  }

  private async readUpstreamAdvancedPayment(request: AdvancedPaymentReadRequest, merchant: UpstreamAccount): Promise<UpstreamRead> {
    const context = Context.current();
    return logged('advanced payment read', await this.upstream.readAdvancedPayment(request.advancedPaymentId, merchant, request.timeoutMs, context.cancellationSignal));
  }

  private async sendUpstreamRequest(request: UpstreamRequest, merchant: MerchantAccount, pause: KnownUpstreamPause): Promise<UpstreamAttempt> {
    const context = Context.current();
    // Whoever can start a workflow chooses this input: send only what the API itself could have asked.
    const forbidden = forbiddenUpstreamRequest(request);
    if (forbidden !== null) {
      context.log.error('upstream attempt refused', { reason: forbidden });
      throw ApplicationFailure.create({ type: FORBIDDEN_UPSTREAM_REQUEST, message: `refused to send: ${forbidden}`, nonRetryable: true });
    }
    // An operator paused the merchant (docs/operations.md, "Pausing a merchant's upstream attempts"): nothing is sent, the run waits.
    const { paused, operator, reason } = pause.current;
    if (paused) {
      context.log.info('upstream attempt held: merchant paused', { operation: request.operation });
      return { kind: 'paused', status: null, reason: `upstream attempts paused by ${operator ?? 'an operator'}: ${reason ?? 'no reason given'}`, retryAfterMs: null };
    }
    const attempt = await this.upstream.send(request, merchant, context.cancellationSignal);
    // The activity logger adds workflowId, runId and attempt; the body stays out of logs.
    context.log.info('upstream attempt answered', {
      operation: request.operation,
      kind: attempt.kind,
      status: attempt.status,
      ...(attempt.kind === 'retryable' ? { reason: attempt.reason } : {}),
    });
    // The same judgement as the run's (awaitingFinalState): an answer left waiting is its follow-up's to tell.
    if (attempt.kind !== 'final' || request.handOver === undefined || awaitingFinalState(request.operation, attempt) !== null) return attempt;
    return (await this.handOverAnswer(request.handOver, attempt, merchant.callbacks)) ? { ...attempt, handedOver: true } : attempt;
  }

  /**
   * Hands the run's final answer over from the attempt that received it (UpstreamRequest's
   * `handOver`), built from that answer. Whether it went (or needed not: no callback URL for the
   * client): when it did not (Temporal did not take it within ATTEMPT_HAND_OVER_DEADLINE_MS), the
   * run hands the same event over itself, with its own retries, and an event that did arrive after
   * all is recognised by its id.
   */
  private async handOverAnswer({ subject, ...handOver }: AttemptHandOver, { status, body }: FinalUpstreamAnswer, callbacks: ClientCallbacks): Promise<boolean> {
    const context = Context.current();
    const event = runEvent({ ...subject, orderId: subject.orderId ?? answeredOrderId(body) }, { type: 'payment_run.final', state: 'final', answer: { status, body } }, Date.now());
    // This hand-over is given up when the deadline passes or the activity is cancelled; a signal that
    // carries others' events goes on for them. A timer of our own aborts it: a composite
    // AbortSignal.any() nothing else holds may be collected before its timeout fires, and then never aborts.
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(new Error(`Temporal did not take it within ${ATTEMPT_HAND_OVER_DEADLINE_MS} ms`)), ATTEMPT_HAND_OVER_DEADLINE_MS);
    const cancelled = () => deadline.abort(context.cancellationSignal.reason);
    context.cancellationSignal.addEventListener('abort', cancelled);
    try {
      await this.handOverCallback({ ...handOver, event }, callbacks, deadline.signal);
      return true;
    } catch (error) {
      Context.current().log.warn('callback hand-over left to the run', {
        clientId: handOver.clientId,
        eventId: event.id,
        reason: error instanceof Error ? error.message : String(error),
      });
      return false;
    } finally {
      clearTimeout(timer);
      context.cancellationSignal.removeEventListener('abort', cancelled);
    }
  }
}

/**
 * One signal to the callbacks workflow `workflowId` with `callbacks` (the one-event signal for one
 * alone, which every callbacks workflow handles), or a signal-with-start when none runs yet (a
 * client's first event, or one an operator ended).
 */
async function signalCallbacks(client: Client, workflowId: string, taskQueue: string, clientId: string, callbacks: QueuedCallback[]): Promise<void> {
  const [signal, argument]: [string, QueuedCallback | QueuedCallbacks] = callbacks.length === 1 ? [callbackEventSignal.name, callbacks[0]!] : [callbackEventsSignal.name, { callbacks }];
  try {
    await client.workflow.getHandle(workflowId).signal<[QueuedCallback | QueuedCallbacks]>(signal, argument);
  } catch (error) {
    if (!(error instanceof WorkflowNotFoundError)) throw error;
    const start: ClientCallbacksInput = { clientId, pending: [], settled: [], undelivered: [] };
    await client.workflow.signalWithStart(CLIENT_CALLBACKS_WORKFLOW, { workflowId, taskQueue, args: [start], signal, signalArgs: [argument] });
  }
}

/** Logs a read's kind and status, never its body (it is the buyer's payment). */
function logged(message: string, read: UpstreamRead): UpstreamRead {
  Context.current().log.info(message, { kind: read.kind, ...(read.kind === 'read' ? { status: read.status } : { reason: read.reason }) });
  return read;
}
