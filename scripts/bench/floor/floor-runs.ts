import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { FLOOR_TASK_QUEUE, type FloorAnswer, type FloorPayment } from './floor-contract';
import type { floorPayment } from './floor.workflow';

export interface FloorOutcome {
  answer: FloorAnswer;
  /** The key's run had already closed: the answer is that run's result, not a new payment's. */
  replayed: boolean;
}

/**
 * One run per idempotency key, the plain-Temporal way: the key is the workflow ID; a start while a
 * run is going attaches to it (USE_EXISTING), and a start after it closed is refused
 * (REJECT_DUPLICATE), upon which the closed run's result is fetched. These are the same Temporal
 * calls the orchestrator's API makes for a new key and a replay, minus everything else it does.
 */
export async function startOrAttach(client: Client, payment: FloorPayment): Promise<FloorOutcome> {
  let handle;
  try {
    handle = await client.workflow.start<typeof floorPayment>('floorPayment', {
      taskQueue: FLOOR_TASK_QUEUE,
      workflowId: payment.idempotencyKey,
      args: [payment],
      workflowIdConflictPolicy: 'USE_EXISTING',
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
    });
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    return { answer: await client.workflow.getHandle<typeof floorPayment>(payment.idempotencyKey).result(), replayed: true };
  }
  return { answer: await handle.result(), replayed: false };
}
