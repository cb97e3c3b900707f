import { sleep } from '@temporalio/workflow';
import type { OrderOwnershipInput } from '../../contracts/src/order-ownership';

/**
 * An order's ownership record (libs/contracts/src/order-ownership.ts). Its start, with the owner in
 * its memo, is the record; the run only waits, so that the record outlives the namespace's
 * retention for as long as the merchant wants its clients' orders kept apart (ORDER_OWNERSHIP_TTL_MS).
 */
export async function orderOwnershipWorkflow(input: OrderOwnershipInput): Promise<void> {
  await sleep(input.keepForMs);
}
