/**
 * Which client created an order through the API, kept in Temporal beside the merchant's runs: an
 * ownership record is a workflow whose ID derives from the order's, whose memo names the client,
 * and which stays open (one timer) for as long as the order can still be acted on.
 */
export const ORDER_OWNERSHIP_WORKFLOW = 'orderOwnershipWorkflow';

/** Memo field naming the client that created the order. */
export const ORDER_OWNER_MEMO_FIELD = 'orderOwner';

/** Input of an ownership record: how long it stays open. */
export interface OrderOwnershipInput {
  keepForMs: number;
}
