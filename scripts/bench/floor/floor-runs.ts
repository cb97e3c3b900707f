import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { FLOOR_TASK_QUEUE, type FloorAnswer, type FloorPayment } from './floor-contract';
import type { floorPayment } from './floor.workflow';

export interface FloorOutcome {
  answer: FloorAnswer;
  /** The key's run had already closed: the answer is that run's result, not a new payment's. */
  replayed: boolean;
}

/**
 * One run per idempotency key, as issue 26's `temporal-eager` row does it: the key is the workflow
 * ID, the start is eager, and a start the server refuses (a run with the key is going, FAIL, or
 * has closed, REJECT_DUPLICATE) attaches to that run's result instead. A refused start is counted
 * as a replay: the bench sends the floor either fresh keys or keys of finished runs, never both.
 */
export async function startOrAttach(client: Client, payment: FloorPayment): Promise<FloorOutcome> {
  let handle;
  try {
    handle = await client.workflow.start<typeof floorPayment>('floorPayment', {
      taskQueue: FLOOR_TASK_QUEUE,
      workflowId: payment.idempotencyKey,
      args: [payment],
      workflowIdConflictPolicy: 'FAIL',
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      // Honoured because the client shares the worker's native connection (floor-process.ts).
      requestEagerStart: true,
    });
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    return { answer: await client.workflow.getHandle<typeof floorPayment>(payment.idempotencyKey).result(), replayed: true };
  }
  return { answer: await handle.result(), replayed: false };
}
