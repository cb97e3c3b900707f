import type { Client } from '@temporalio/client';
import {
  CLIENT_CALLBACKS_WORKFLOW,
  clientCallbacksQuery,
  ORDER_FOLLOW_UP_WORKFLOW,
  ORDER_OWNERSHIP_WORKFLOW,
  PAYMENT_RUN_CALLBACK_WORKFLOW,
  PAYMENT_WRITE_WORKFLOW,
  type ClientCallbacksState,
} from '../../libs/contracts/src';
import { mapWithConcurrency } from '../../libs/payment-worker/src/map-with-concurrency';
import type { DrillStack } from '../drill/drill-stack';
import { seriesValue } from '../lib/prometheus-text';
import type { SoakTraffic } from './soak-traffic';

/** The workflow types the soak's traffic starts, counted open at every sample. */
export const SAMPLED_WORKFLOW_TYPES = [PAYMENT_WRITE_WORKFLOW, ORDER_FOLLOW_UP_WORKFLOW, ORDER_OWNERSHIP_WORKFLOW, PAYMENT_RUN_CALLBACK_WORKFLOW] as const;
/** The long-lived ones, whose open runs' history lengths are sampled. */
export const HISTORY_SAMPLED_TYPES = [ORDER_FOLLOW_UP_WORKFLOW, ORDER_OWNERSHIP_WORKFLOW] as const;
/** Open runs whose history length is read per type and sample (a list page's worth, newest first). */
const HISTORIES_PER_TYPE = 50;
const DESCRIBE_CONCURRENCY = 4;
/** Callbacks workflows read per sample: one per client with a callback URL, so a page is far more than a soak has. */
const CALLBACK_WORKFLOWS_READ = 50;
/** How long one query may take: a worker being restarted answers none, and the sample must not wait for it. */
const QUERY_TIMEOUT_MS = 10_000;
/** Pending and undelivered events named per sample; the counts are whole. */
const EVENTS_NAMED = 5;

/** One API's or worker's process at a sample: null where it did not answer. */
export interface ProcessSample {
  name: string;
  app: 'api' | 'worker';
  pid: number | null;
  rssBytes: number | null;
  heapUsedBytes: number | null;
  /** APIs only: what the answer memory holds. */
  answerMemoryBytes: number | null;
  answerMemoryEntries: number | null;
}

export interface HistorySample {
  sampled: number;
  max: number;
  median: number;
}

/**
 * The callback events the clients' callbacks workflows hold (their `callbacks` query, docs/api.md,
 * "Callbacks"): runs hand their final event to them, so a run closes while its callback is still
 * on its way.
 */
export interface CallbackEventsSample {
  /** The callbacks workflows asked. */
  workflows: number;
  /** Events waiting for their next attempt, in the workflows that answered. */
  pending: number;
  /** Events given up past their horizon (the latest each workflow keeps), in the workflows that answered. */
  undelivered: number;
  /** A few of them: pending events by id, undelivered ones by idempotency key. */
  named: { pending: string[]; undelivered: string[] };
  /** Workflows whose query failed, and why: what they hold is unknown, so the counts are no more than a lower bound. */
  unread: string[];
}

export interface Sample {
  at: string;
  elapsedSeconds: number;
  processes: ProcessSample[];
  /** Runs listed as running, by workflow type (visibility: a run closed a moment ago may still be listed). */
  openWorkflows: Record<string, number>;
  /** Runs that closed by continuing as new, by workflow type, since the start. */
  continuedAsNew: Record<string, number>;
  /** History lengths (events) of open runs, by workflow type. */
  histories: Record<string, HistorySample>;
  callbackEvents: CallbackEventsSample;
  traffic: { keys: number; answered: number; creates: number; pendingWaiting: number; replays: number };
}

/**
 * Reads one sample: each process's memory (its own metrics), Temporal's visibility counts and
 * histories, the callback events pending (in the listed callbacks workflows and `callbackWorkflowIds`,
 * those the soak's clients must have), the traffic so far.
 */
export async function takeSample(stack: DrillStack, temporal: Client, traffic: SoakTraffic, startedAt: number, callbackWorkflowIds: readonly string[]): Promise<Sample> {
  const now = Date.now();
  const [processes, openWorkflows, continuedAsNew, histories, callbackEvents] = await Promise.all([
    Promise.all(stack.appInstances.map((instance) => processSample(stack, instance))),
    countByType(temporal, SAMPLED_WORKFLOW_TYPES, 'Running'),
    countByType(temporal, [ORDER_FOLLOW_UP_WORKFLOW], 'ContinuedAsNew'),
    historySamples(temporal),
    readCallbackEvents(temporal, callbackWorkflowIds),
  ]);
  const { keys, creates, replays } = traffic.log;
  return {
    at: new Date(now).toISOString(),
    elapsedSeconds: Math.round((now - startedAt) / 1000),
    processes,
    openWorkflows,
    continuedAsNew,
    histories,
    callbackEvents,
    traffic: { keys: keys.length, answered: keys.filter((key) => key.final !== null).length, creates: creates.length, pendingWaiting: traffic.waitingCount(), replays: replays.sent },
  };
}

async function processSample(stack: DrillStack, instance: DrillStack['appInstances'][number]): Promise<ProcessSample> {
  const page =
    instance.metricsUrl === ''
      ? null
      : await fetch(instance.metricsUrl, { signal: AbortSignal.timeout(10_000) }).then(
          (response) => (response.ok ? response.text() : null),
          () => null,
        );
  const value = (name: string) => (page === null ? null : seriesValue(page, name));
  return {
    name: instance.name,
    app: instance.app,
    pid: stack.pid(instance.name) ?? null,
    // prom-client's default process metrics, which both apps serve.
    rssBytes: value('process_resident_memory_bytes'),
    heapUsedBytes: value('nodejs_heap_size_used_bytes'),
    answerMemoryBytes: instance.app === 'api' ? value('answer_memory_bytes') : null,
    answerMemoryEntries: instance.app === 'api' ? value('answer_memory_entries') : null,
  };
}

async function countByType(temporal: Client, types: readonly string[], status: 'Running' | 'ContinuedAsNew'): Promise<Record<string, number>> {
  const counts = await Promise.all(types.map(async (type) => [type, (await temporal.workflow.count(`WorkflowType = "${type}" AND ExecutionStatus = "${status}"`)).count] as const));
  return Object.fromEntries(counts);
}

/**
 * Asks every open callbacks workflow (listed by type in visibility, and each of `expectedIds`) for
 * its pending and undelivered events. The expected ones are asked whatever visibility lists: a
 * workflow continuing as new may be listed under neither run for a moment (visibility is written
 * asynchronously), and one that is missing must read as unknown, never as nothing pending. A
 * query that fails or times out leaves its workflow unread.
 */
export async function readCallbackEvents(temporal: Client, expectedIds: readonly string[]): Promise<CallbackEventsSample> {
  const ids = new Set(expectedIds);
  // Queried by workflow ID, which reaches the latest run: two listed runs of one workflow (the one that continued as new, not yet shown closed) are one.
  for await (const run of temporal.workflow.list({ query: `WorkflowType = "${CLIENT_CALLBACKS_WORKFLOW}" AND ExecutionStatus = "Running"`, pageSize: CALLBACK_WORKFLOWS_READ })) {
    ids.add(run.workflowId);
    if (ids.size >= CALLBACK_WORKFLOWS_READ) break;
  }
  const states = await mapWithConcurrency([...ids], DESCRIBE_CONCURRENCY, (workflowId) =>
    temporal
      .withDeadline(Date.now() + QUERY_TIMEOUT_MS, () => temporal.workflow.getHandle(workflowId).query(clientCallbacksQuery))
      .then(
        (state): ClientCallbacksState | string => state,
        (error: unknown) => `${workflowId}: ${error instanceof Error ? error.message : String(error)}`,
      ),
  );
  const read = states.filter((state): state is ClientCallbacksState => typeof state !== 'string');
  const pending = read.flatMap((state) => state.pending);
  const undelivered = read.flatMap((state) => state.undelivered);
  return {
    workflows: ids.size,
    pending: pending.length,
    undelivered: undelivered.length,
    named: { pending: pending.slice(0, EVENTS_NAMED), undelivered: undelivered.slice(0, EVENTS_NAMED).map((event) => event.idempotency_key) },
    unread: states.filter((state): state is string => typeof state === 'string'),
  };
}

async function historySamples(temporal: Client): Promise<Record<string, HistorySample>> {
  const entries = await Promise.all(
    HISTORY_SAMPLED_TYPES.map(async (type) => {
      const open: string[] = [];
      for await (const run of temporal.workflow.list({ query: `WorkflowType = "${type}" AND ExecutionStatus = "Running"`, pageSize: HISTORIES_PER_TYPE })) {
        open.push(run.workflowId);
        if (open.length >= HISTORIES_PER_TYPE) break;
      }
      // Visibility records a history's length only when the run closes: an open run's comes from describe.
      const lengths = await mapWithConcurrency(open, DESCRIBE_CONCURRENCY, (workflowId) =>
        temporal.workflow
          .getHandle(workflowId)
          .describe()
          .then(
            (description) => description.historyLength,
            () => null,
          ),
      );
      return [type, summarise(lengths.filter((length): length is number => length !== null))] as const;
    }),
  );
  return Object.fromEntries(entries);
}

function summarise(lengths: number[]): HistorySample {
  const sorted = [...lengths].sort((a, b) => a - b);
  return { sampled: sorted.length, max: sorted.at(-1) ?? 0, median: sorted.length === 0 ? 0 : sorted[Math.floor((sorted.length - 1) / 2)]! };
}
