import { ActivityFailure } from '@temporalio/workflow';
import type { UpstreamRead } from '../../contracts/src/activities';

/**
 * One read of an order or an advanced payment, as the payment run's reconciliation and the
 * follow-ups take it: a read that Temporal could not complete (its retries spent) is an unreadable
 * resource, never a failed workflow.
 */
export async function readOrUnreadable(read: () => Promise<UpstreamRead>): Promise<UpstreamRead> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof ActivityFailure) return { kind: 'unreadable', reason: `read lost: ${error.cause?.message ?? error.message}` };
    throw error;
  }
}
