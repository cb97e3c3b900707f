/**
 * Which client created an order through the API, kept in Temporal beside the merchant's runs: an
 * ownership record is a workflow whose ID derives from the order's, whose memo names the client,
 * and which stays open (one timer) for as long as the order can still be acted on.
 */
export const ORDER_OWNERSHIP_WORKFLOW = 'orderOwnershipWorkflow';

/** Memo field naming the client that created the order. */
export const ORDER_OWNER_MEMO_FIELD = 'orderOwner';

/**
 * The record's workflow ID in the merchant's namespace. The space keeps it apart from every
 * idempotency key (keys are visible ASCII, spaces excluded), so no client can squat a record.
 */
export function orderOwnershipWorkflowId(orderId: string): string {
  return `order-owner ${orderId}`;
}

/** Input of an ownership record: how long it stays open. */
export interface OrderOwnershipInput {
  keepForMs: number;
}
