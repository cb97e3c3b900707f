import type { Client } from '@temporalio/client';
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
