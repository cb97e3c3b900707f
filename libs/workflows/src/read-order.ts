import { ActivityFailure } from '@temporalio/workflow';
import type { OrderRead, OrderReadRequest, PaymentActivities } from '../../contracts/src/activities';

/**
 * One read of an order, as the payment run's reconciliation and the follow-up take it: a read that
 * Temporal could not complete (its retries spent) is an unreadable order, never a failed workflow.
 */
export async function readOrderOrUnreadable(readUpstreamOrder: PaymentActivities['readUpstreamOrder'], request: OrderReadRequest): Promise<OrderRead> {
  try {
    return await readUpstreamOrder(request);
  } catch (error) {
    if (error instanceof ActivityFailure) return { kind: 'unreadable', reason: `read lost: ${error.cause?.message ?? error.message}` };
    throw error;
  }
}
