import { proxyActivities } from '@temporalio/workflow';
import type { FloorAnswer, FloorPayment } from './floor-contract';
import type { FloorActivities } from './floor-activity';

// The orchestrator's defaults (UPSTREAM_TIMEOUT_MS, UPSTREAM_RETRY_INITIAL_MS and _MAX_INTERVAL_MS),
// so a failing upstream is retried on the same schedule; no budget, as Temporal's default policy.
const { processOrder } = proxyActivities<FloorActivities>({
  startToCloseTimeout: '10s',
  retry: { initialInterval: '500ms', maximumInterval: '30s' },
});

/**
 * The floor's whole workflow: one regular activity makes the upstream call, and its answer is the
 * run's result. Nothing else, so what it costs is what Temporal itself costs per payment.
 */
export async function floorPayment(payment: FloorPayment): Promise<FloorAnswer> {
  return processOrder(payment);
}
