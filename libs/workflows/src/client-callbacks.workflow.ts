import { ActivityFailure, allHandlersFinished, condition, continueAsNew, log, patched, proxyLocalActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import {
  callbackEventSignal,
  callbackEventsSignal,
  clientCallbacksQuery,
  type CallbackBatchActivities,
  type CallbackBatchResult,
  type ClientCallbacksInput,
  type PendingCallback,
  type QueuedCallback,
  type QueuedCallbacks,
  type UndeliveredCallback,
} from '../../contracts/src/callbacks';
import { ACTIVITY_TIMEOUT_MARGIN_MS } from './activity-options';
import { CALLBACK_INITIAL_RETRY_MS } from './client-callback';

/**
 * Settled event ids remembered for de-duplication: a hand-over is a local activity, which may run
 * again when its workflow task is retried (seconds later), so a few thousand of the latest is
 * plenty and keeps the continue-as-new input small.
 */
const SETTLED_IDS_KEPT = 5_000;
/** Undelivered events shown by the `callbacks` query (the latest; each is also logged). */
const UNDELIVERED_KEPT = 100;
/** Past this many events, the history starts over (continue-as-new), whatever the server suggests. */
const HISTORY_EVENTS_LIMIT = 5_000;
/**
 * How long the delivery that empties the due events keeps its workflow task open: events handed
 * over meanwhile are buffered by the server and come in one task together, instead of a task each
 * (the cost measured in docs/architecture.md, "Callbacks apart from payments"). It adds at most
 * this much to an event's delivery, and holds the client's callback-worker slot as long.
 */
export const CALLBACK_GATHER_MS = 500;
/**
 * The longest one delivery's attempts may take, a round of the client's concurrency after another:
 * a batch holds as many rounds as fit in it at the attempt timeout (8 rounds of 4, 32 events, at
 * the default CALLBACK_ATTEMPT_TIMEOUT_MS of 5 s and CALLBACK_MAX_CONCURRENT_PER_CLIENT of 4; one
 * round if an attempt may take longer). So a local activity to a receiver that never answers ends
 * within 40 s plus its margin, and one lost with its worker sends again at most those events; the
 * bench's busiest client hands about 25 events to a workflow task (docs/architecture.md,
 * "Callbacks apart from payments"), which one delivery thus takes.
 */
const DELIVERY_ROUNDS_MS = 40_000;
/**
 * The patch under which a delivery takes every due event (up to DELIVERY_ROUNDS_MS of rounds),
 * not only the client's concurrency: workflows recorded before it replay their smaller batches
 * (README, "Changing the workflow").
 */
const DELIVER_DUE_TOGETHER = 'deliver-due-together';

/**
 * Delivers every event of one client's runs (docs/api.md, "Callbacks"; docs/architecture.md,
 * "Callbacks apart from payments"), on the callback task queue. Runs hand events over by signal
 * (with start, for the first; several in one when they meet in a worker); each is sent until the client answers 2xx, retried from 1 s doubling up to
 * its schedule's maximum interval, and ends `undelivered` once the next attempt would come after
 * its horizon (counted from the hand-over). Due events go out together in one local activity, at
 * most the client's concurrency of them in flight: a client's receiver that never answers holds one
 * slot of the callback worker, for one attempt timeout per round.
 */
export async function clientCallbacksWorkflow(input: ClientCallbacksInput): Promise<never> {
  const pending = new Map(input.pending.map((callback) => [callback.event.id, callback]));
  const settled = [...input.settled];
  const settledIds = new Set(settled);
  const undelivered = [...input.undelivered];
  let concurrency = Math.max(1, ...input.pending.map((callback) => callback.concurrency));
  let arrived = false;

  const take = (queued: QueuedCallback): void => {
    // A hand-over that ran twice sends the same event id: it is delivered once.
    if (pending.has(queued.event.id) || settledIds.has(queued.event.id)) return;
    const now = Date.now();
    pending.set(queued.event.id, { ...queued, handedOverAt: now, attempts: 0, dueAt: now });
    concurrency = queued.concurrency;
    arrived = true;
  };
  // One event a signal, as every sender before CALLBACK_HAND_OVERS_PER_SIGNAL did (and still does, for one alone).
  setHandler(callbackEventSignal, take);
  // Several, as a worker sends the hand-overs that met while its previous signal was in flight.
  // A handler adds no command, so histories recorded before it replay unchanged.
  setHandler(callbackEventsSignal, ({ callbacks }: QueuedCallbacks) => callbacks.forEach(take));
  setHandler(clientCallbacksQuery, () => ({ pending: [...pending.keys()], undelivered }));

  const settle = (id: string): void => {
    pending.delete(id);
    settled.push(id);
    settledIds.add(id);
    if (settled.length > SETTLED_IDS_KEPT) settledIds.delete(settled.shift()!);
  };

  for (;;) {
    const info = workflowInfo();
    if (info.continueAsNewSuggested || info.historyLength > HISTORY_EVENTS_LIMIT) {
      await condition(allHandlersFinished);
      return continueAsNew<typeof clientCallbacksWorkflow>({ clientId: input.clientId, pending: [...pending.values()], settled, undelivered });
    }
    const now = Date.now();
    const due = [...pending.values()].filter((callback) => callback.dueAt <= now).sort((a, b) => a.dueAt - b.dueAt);
    if (due.length === 0) {
      arrived = false;
      const next = Math.min(...[...pending.values()].map((callback) => callback.dueAt));
      // Nothing pending: wait for a hand-over, with no timer (an idle client costs nothing).
      if (pending.size === 0) await condition(() => arrived);
      else await condition(() => arrived, next - now);
      continue;
    }
    // Tested only where the batch would differ, so a client never more than its concurrency due records no marker.
    const rounds = due.length > concurrency && patched(DELIVER_DUE_TOGETHER) ? Math.max(1, Math.floor(DELIVERY_ROUNDS_MS / longestAttemptMs(due))) : 1;
    const batch = due.slice(0, rounds * concurrency);
    // Only the batch that leaves nothing due waits: a backlog is sent without pause.
    const results = await deliver(input.clientId, batch, concurrency, due.length > batch.length ? 0 : CALLBACK_GATHER_MS);
    const answeredAt = Date.now();
    for (const [index, callback] of batch.entries()) {
      if (results[index]!.kind !== 'failed') {
        settle(callback.event.id);
        continue;
      }
      const attempts = callback.attempts + 1;
      const waitMs = Math.min(CALLBACK_INITIAL_RETRY_MS * 2 ** (attempts - 1), Math.max(CALLBACK_INITIAL_RETRY_MS, callback.schedule.maxRetryIntervalMs));
      if (answeredAt + waitMs > callback.handedOverAt + callback.schedule.horizonMs) {
        settle(callback.event.id);
        const gaveUp: UndeliveredCallback = {
          event_id: callback.event.id,
          idempotency_key: callback.event.idempotency_key,
          type: callback.event.type,
          attempts,
          gave_up_at: new Date(answeredAt).toISOString(),
        };
        undelivered.push(gaveUp);
        if (undelivered.length > UNDELIVERED_KEPT) undelivered.shift();
        log.warn('callback undelivered', { clientId: input.clientId, eventId: gaveUp.event_id, idempotencyKey: gaveUp.idempotency_key, attempts });
        continue;
      }
      pending.set(callback.event.id, { ...callback, attempts, dueAt: answeredAt + waitMs });
    }
  }
}

const longestAttemptMs = (callbacks: readonly PendingCallback[]): number => Math.max(...callbacks.map((callback) => callback.schedule.timeoutMs));

/**
 * One attempt for each event of the batch, `concurrency` in flight at once, as a local activity:
 * it runs inside the workflow task the events arrived in, so a batch costs one local-activity
 * marker and no activity task (the cost measured in docs/architecture.md, "Callbacks apart from
 * payments"). It may take a round of attempts per `concurrency` events, each up to the attempt
 * timeout. A failed or lost attempt counts as a failed attempt for each event.
 */
async function deliver(clientId: string, batch: readonly PendingCallback[], concurrency: number, holdMs: number): Promise<CallbackBatchResult> {
  const timeoutMs = longestAttemptMs(batch);
  const rounds = Math.ceil(batch.length / concurrency);
  const { deliverCallbacks } = proxyLocalActivities<CallbackBatchActivities>({
    startToCloseTimeout: Math.max(rounds * timeoutMs, holdMs) + ACTIVITY_TIMEOUT_MARGIN_MS,
    // The schedule above is the retry policy: each event backs off on its own.
    retry: { maximumAttempts: 1 },
  });
  try {
    return await deliverCallbacks({ clientId, events: batch.map((callback) => callback.event), timeoutMs, concurrency, holdMs });
  } catch (error) {
    if (error instanceof ActivityFailure) return batch.map((callback) => ({ id: callback.event.id, kind: 'failed' }));
    throw error;
  }
}
