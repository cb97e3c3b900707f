import { ActivityFailure, patched, proxyActivities, workflowInfo } from '@temporalio/workflow';
import {
  callbackTaskQueue,
  type CallbackActivities,
  type CallbackEvent,
  type CallbackOutcome,
  type CallbackSchedule,
  type PaymentRunCallbackInput,
} from '../../contracts/src/callbacks';
import { ACTIVITY_TIMEOUT_MARGIN_MS } from './activity-options';

/** The first callback retry; later ones back off up to the schedule's maximum interval (docs/api.md, "Callbacks"). */
export const CALLBACK_INITIAL_RETRY_MS = 1_000;

/**
 * patched() marker (Temporal's patching API): deliveries scheduled before it went to the workflow's
 * own (payment) task queue, and replay there; later ones go to the callback task queue, polled by
 * the callback worker only (docs/architecture.md, "Callbacks apart from payments").
 */
const DELIVER_ON_CALLBACK_QUEUE = 'tell-client-on-callback-queue';

/**
 * Sends one event to a client, retried with backoff until it answers 2xx or the horizon passes. The
 * worker looks the URL and secret up by client, so the event can only reach the client named here,
 * the one whose run it is about (docs/api.md, "Callbacks"). Each attempt is an activity task on the
 * callback task queue: a receiver that never answers holds a slot of the callback worker, never one
 * of the payment worker's, but with no bound per client. Kept only so that what was recorded
 * calling it replays and finishes: follow-ups recorded before `follow-up-hands-over-callback` and
 * legacy per-run callback workflows. New events go to their client's callbacks workflow
 * (handOverEvent, ./payment-run/call-back.ts).
 */
export async function tellClient(clientId: string, event: CallbackEvent, schedule: CallbackSchedule): Promise<CallbackOutcome> {
  const { deliverCallback } = proxyActivities<CallbackActivities>({
    ...(patched(DELIVER_ON_CALLBACK_QUEUE) ? { taskQueue: callbackTaskQueue(workflowInfo().taskQueue) } : {}),
    startToCloseTimeout: schedule.timeoutMs + ACTIVITY_TIMEOUT_MARGIN_MS,
    scheduleToCloseTimeout: schedule.horizonMs,
    retry: { initialInterval: CALLBACK_INITIAL_RETRY_MS, backoffCoefficient: 2, maximumInterval: Math.max(CALLBACK_INITIAL_RETRY_MS, schedule.maxRetryIntervalMs) },
  });
  try {
    const delivery = await deliverCallback({ clientId, event, timeoutMs: schedule.timeoutMs });
    return delivery.kind;
  } catch (error) {
    if (error instanceof ActivityFailure) return 'undelivered';
    throw error;
  }
}

/**
 * Tells a client that one of its runs reached a final state at once (a final answer, or a give-up),
 * as runs recorded before CALL_BACK_THROUGH_CLIENT_CALLBACKS did: a workflow per run, started by the
 * run and abandoned when it closes. Newer runs hand the event to clientCallbacksWorkflow.
 */
export async function paymentRunCallbackWorkflow(input: PaymentRunCallbackInput): Promise<CallbackOutcome> {
  return tellClient(input.clientId, input.event, input.schedule);
}
