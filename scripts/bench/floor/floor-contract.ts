/**
 * What the engine floor's front, workflow and activity pass each other. Types only, so the
 * workflow bundle and the front import nothing from each other at run time.
 */

/** A payment as the floor's caller names it: the order to process and the idempotency key. */
export interface FloorPayment {
  orderId: string;
  idempotencyKey: string;
}

/** The upstream's final answer, passed back to the caller as it is. */
export interface FloorAnswer {
  status: number;
  body: string;
}

/** The floor's own task queue on the bench's Temporal, apart from the orchestrator's. */
export const FLOOR_TASK_QUEUE = 'bench-floor';
