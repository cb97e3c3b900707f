import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import type { KeyRecord } from './checkout';
import { DRILL_TASK_QUEUE } from './drill-stack';
import type { SimulatorControls } from './simulator-controls';

/** What the upstream did for one key's order, from the simulator's journal. */
export interface UpstreamEvidence {
  calls: number;
  /** Calls that changed the order's state: more than one would be a double payment. */
  effects: number;
  /** Distinct X-Idempotency-Key values the orchestrator sent for the order: one, if its key derivation holds. */
  upstreamKeys: number;
}

/** Journal evidence per key; the drill gives every key an order of its own, so the order identifies the key. */
export async function upstreamEvidence(simulator: SimulatorControls, records: readonly KeyRecord[]): Promise<Map<string, UpstreamEvidence>> {
  const byOrder = new Map<string, { calls: number; effects: number; keys: Set<string> }>();
  for (const entry of await simulator.processCalls()) {
    if (entry.order_id === null) continue;
    const order = byOrder.get(entry.order_id) ?? { calls: 0, effects: 0, keys: new Set<string>() };
    order.calls += 1;
    if (entry.effect) order.effects += 1;
    if (entry.idempotency_key !== null) order.keys.add(entry.idempotency_key);
    byOrder.set(entry.order_id, order);
  }
  return new Map(
    records.map((record) => {
      const order = byOrder.get(record.orderId);
      return [record.key, { calls: order?.calls ?? 0, effects: order?.effects ?? 0, upstreamKeys: order?.keys.size ?? 0 }];
    }),
  );
}

/** Runs of the drill's keys in Temporal (the workflow id is the key), with their statuses. */
export async function runsOfKeys(temporal: Client, records: readonly KeyRecord[]): Promise<{ perKey: Map<string, number>; byStatus: Record<string, number> }> {
  const keys = new Set(records.map((record) => record.key));
  const perKey = new Map<string, number>();
  const byStatus: Record<string, number> = {};
  for await (const run of temporal.workflow.list({ query: `TaskQueue = "${DRILL_TASK_QUEUE}"` })) {
    if (!keys.has(run.workflowId)) continue;
    perKey.set(run.workflowId, (perKey.get(run.workflowId) ?? 0) + 1);
    byStatus[run.status.name] = (byStatus[run.status.name] ?? 0) + 1;
  }
  return { perKey, byStatus };
}

/** Histories read at once when looking for failed workflow tasks. */
const HISTORY_READS_IN_PARALLEL = 8;

/**
 * Every failed workflow task (a nondeterminism error, a workflow code exception) in the histories of
 * the runs the drill's task queue started since `since`, payment runs and their children alike, as
 * `<workflow id>: <cause>`. A failed task is retried and may go unnoticed in the answers.
 */
export async function workflowTaskFailures(client: Client, since: Date): Promise<string[]> {
  const runs: { workflowId: string; runId: string }[] = [];
  for await (const run of client.workflow.list({ query: `TaskQueue = "${DRILL_TASK_QUEUE}" AND StartTime >= "${since.toISOString()}"` })) runs.push(run);
  const failures: string[] = [];
  for (let index = 0; index < runs.length; index += HISTORY_READS_IN_PARALLEL) {
    const batch = await Promise.all(runs.slice(index, index + HISTORY_READS_IN_PARALLEL).map(({ workflowId, runId }) => runTaskFailures(client, workflowId, runId)));
    failures.push(...batch.flat());
  }
  return failures;
}

/** The failed workflow tasks in one run's history (its latest run without `runId`), as `<workflow id>: <cause>`. */
export async function runTaskFailures(client: Client, workflowId: string, runId?: string): Promise<string[]> {
  const { events } = await client.workflow.getHandle(workflowId, runId).fetchHistory();
  const failures: string[] = [];
  for (const event of events ?? []) {
    const failed = event.workflowTaskFailedEventAttributes;
    if (failed == null) continue;
    const cause = temporal.api.enums.v1.WorkflowTaskFailedCause[failed.cause ?? 0] ?? String(failed.cause);
    failures.push(`${workflowId}: ${cause}${failed.failure?.message == null ? '' : ` (${failed.failure.message.slice(0, 200)})`}`);
  }
  return failures;
}
