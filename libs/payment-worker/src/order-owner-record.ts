import { Context } from '@temporalio/activity';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { ORDER_OWNERSHIP_WORKFLOW, orderOwnershipStart, type OrderOwnerRecord } from '@app/contracts';

/**
 * The `recordOrderOwner` activity (OrderOwnershipActivities): starts the order's ownership record
 * in the run's namespace, on the run's task queue, with the worker's own client. The create's run
 * awaits it as a local activity, inside the workflow task that received the answer, so the record
 * exists before the order id leaves the run, without the extra workflow task a child's start
 * costs (docs/architecture.md, "Merchants, namespaces and order ownership"). A record already
 * there is this order's: the upstream replays a create under the same key, so only an earlier
 * run of the same request can have started it. Any other failure fails the attempt, which the
 * run retries.
 */
export async function recordOrderOwner({ orderId, clientId, ownership }: OrderOwnerRecord): Promise<void> {
  const { client, info } = Context.current();
  try {
    await client.workflow.start(ORDER_OWNERSHIP_WORKFLOW, { ...orderOwnershipStart(orderId, clientId, ownership), taskQueue: info.taskQueue, workflowIdConflictPolicy: 'FAIL' });
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
  }
}
