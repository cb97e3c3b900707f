import { proxyLocalActivities } from '@temporalio/workflow';
import type { FloorAnswer, FloorPayment } from './floor-contract';
import type { FloorActivities } from './floor-activity';

// The orchestrator's defaults (UPSTREAM_TIMEOUT_MS, UPSTREAM_RETRY_INITIAL_MS and _MAX_INTERVAL_MS),
// so a failing upstream is retried on the same schedule; no budget, as Temporal's default policy.
const { processOrder } = proxyLocalActivities<FloorActivities>({
  startToCloseTimeout: '10s',
  retry: { initialInterval: '500ms', maximumInterval: '30s' },
});

/**
 * The floor's whole workflow: one local activity makes the upstream call inside the first workflow
 * task (eager, so no matching dispatch and no activity task), and its answer is the run's result.
 * Nothing else, so what it costs is what the Temporal engine itself costs per payment.
 */
export async function floorPayment(payment: FloorPayment): Promise<FloorAnswer> {
  return processOrder(payment);
}
