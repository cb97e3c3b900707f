import type { SearchAttributePair, WorkflowIdReusePolicy } from '@temporalio/common';
// A pure-JS SHA-256 (audited, no dependencies, no I/O), because the record's ID is derived inside
// workflow code too, where node:crypto does not exist (the sandbox; docs/architecture.md). An
// activity would cost the run a round trip per create for a digest. Version 1.x: 2.x is ESM-only,
// and this project is CommonJS on Node 20.
import { sha256 } from '@noble/hashes/sha2';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils';
import { searchAttributes } from './search-attributes';

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

/**
 * The ownership record's workflow ID in the merchant's namespace. The space keeps it apart from
 * every idempotency key (keys are visible ASCII, spaces excluded), so no client can squat a
 * record; the order id enters as a digest, so traces of the lookup (span attributes name the
 * workflow ID) carry no order id, like every other span. Records already written keep this ID.
 */
export function orderOwnershipWorkflowId(orderId: string): string {
  return `order-owner ${bytesToHex(sha256(utf8ToBytes(orderId)))}`;
}

/** The options that start an order's ownership record, for a client's start and a run's child alike. */
export interface OrderOwnershipStart {
  workflowId: string;
  args: [OrderOwnershipInput];
  workflowIdReusePolicy: WorkflowIdReusePolicy;
  memo: Record<string, string>;
  typedSearchAttributes: SearchAttributePair[];
  staticSummary: string;
}

/**
 * How an order's ownership record is started, the same whoever starts it (the create's run, or
 * the API for a run recorded before runs did): REJECT_DUPLICATE, so a record is written once and
 * never replaced, not even after it closed.
 */
export function orderOwnershipStart(orderId: string, clientId: string, input: OrderOwnershipInput): OrderOwnershipStart {
  return {
    workflowId: orderOwnershipWorkflowId(orderId),
    args: [input],
    workflowIdReusePolicy: 'REJECT_DUPLICATE',
    memo: { [ORDER_OWNER_MEMO_FIELD]: clientId },
    typedSearchAttributes: [
      { key: searchAttributes.orderId, value: orderId },
      { key: searchAttributes.clientId, value: clientId },
    ],
    staticSummary: `Order ${orderId} belongs to ${clientId}`,
  };
}

/** Which order a create's run records as its client's, and for how long (OrderOwnershipInput). */
export interface OrderOwnerRecord {
  orderId: string;
  clientId: string;
  ownership: OrderOwnershipInput;
}

/**
 * The activity by which a create's run starts its order's ownership record from inside its own
 * workflow task (a local activity; libs/workflows/src/payment-run/record-owner.ts): resolved once
 * the record exists, this run's or one an earlier run of the same request started.
 */
export interface OrderOwnershipActivities {
  recordOrderOwner(record: OrderOwnerRecord): Promise<void>;
}
