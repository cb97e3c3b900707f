import { Inject, Injectable, Logger } from '@nestjs/common';
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/client';
import { ORDER_OWNER_MEMO_FIELD, ORDER_OWNERSHIP_WORKFLOW, orderOwnershipStart, orderOwnershipWorkflowId, type OrderOwnershipInput, type PaymentWriteResult } from '@app/contracts';
import { answeredOrderId, isValidOrderId } from '@app/mercadopago';
import type { orderOwnershipWorkflow } from '@app/workflows';
import type { Merchant } from '../api-config';
import { RUNS_SECTION, TEMPORAL_SECTION, type RunsSection, type TemporalSection } from '../api-config-sections';
import type { Caller } from '../http/auth/client-authenticator';
import { DeploymentRouting } from '../temporal/deployment-routing';
import { TemporalAccess } from '../temporal/temporal-access';

/** Whether a caller may act on an order: `unknowable` when Temporal could not be asked. */
export type OrderAccess = 'allowed' | 'denied' | 'unknowable';

/**
 * Orders belong to the client that created them through the API: another client of the merchant
 * is answered 404 order_not_found on them, exactly as if they did not exist, unless it is trusted
 * (TRUSTED_CLIENTS). An order no client created here follows ORDERS_CREATED_ELSEWHERE. Other
 * merchants never reach the order at all: their requests go to their own namespace and their own
 * Mercado Pago account.
 */
@Injectable()
export class OrderOwnership {
  private readonly logger = new Logger(OrderOwnership.name);

  constructor(
    private readonly temporal: TemporalAccess,
    private readonly routing: DeploymentRouting,
    @Inject(RUNS_SECTION) private readonly runs: RunsSection,
    @Inject(TEMPORAL_SECTION) private readonly temporalSettings: TemporalSection,
  ) {}

  /**
   * Whether the caller may act on the order. Denied is answered 404 order_not_found; unknowable
   * (Temporal did not answer) is refused like any state that cannot be read, never guessed.
   */
  async access({ merchant, clientId }: Caller, orderId: string): Promise<OrderAccess> {
    // A merchant's only client, or a trusted one, may act on all of the merchant's orders: nothing to look up.
    if (merchant.clients.size === 1 || merchant.trustedClients.has(clientId)) return 'allowed';
    const owner = await this.ownerOf(merchant, orderId);
    if (owner === undefined) return 'unknowable';
    const allowed = owner === null ? merchant.ordersCreatedElsewhere === 'allow' : owner === clientId;
    return allowed ? 'allowed' : 'denied';
  }

  /**
   * What an order create's run needs to record its order's owner itself, before its answer is
   * visible anywhere (PaymentWriteInput.ownership); nothing when the merchant has a single client,
   * whose orders access() never looks up.
   */
  recordedByRun({ merchant }: Caller): OrderOwnershipInput | undefined {
    return merchant.clients.size === 1 ? undefined : { keepForMs: this.runs.orderOwnershipTtlMs };
  }

  /**
   * Records the creator of the order a create run answered with, when the run did not (a run
   * recorded before runs did: PaymentWriteResult.ownerRecorded), before that answer reaches anyone
   * (PaymentRuns settles it first). For every other run it costs nothing: the run's own record came
   * first. A record that already exists is this very order's, from an earlier answer of the same run.
   */
  async recordCreator(caller: Caller, result: PaymentWriteResult): Promise<void> {
    const ownership = this.recordedByRun(caller);
    if (ownership === undefined || result.ownerRecorded === true) return;
    const orderId = answeredOrderId(result.body);
    if (orderId === null || !isValidOrderId(orderId)) return;
    const { client, requestEagerStart } = await this.routing.starting(caller.merchant);
    try {
      await this.temporal.withRpcDeadline(client, () =>
        client.workflow.start<typeof orderOwnershipWorkflow>(ORDER_OWNERSHIP_WORKFLOW, {
          ...orderOwnershipStart(orderId, caller.clientId, ownership),
          taskQueue: this.temporalSettings.taskQueue,
          workflowIdConflictPolicy: 'FAIL',
          requestEagerStart,
        }),
      );
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    }
  }

  /** The client that created the order through the API, null when none did, undefined when unreadable. */
  private async ownerOf(merchant: Merchant, orderId: string): Promise<string | null | undefined> {
    const client = this.temporal.client(merchant);
    try {
      const record = await this.temporal.withRpcDeadline(client, () => client.workflow.getHandle(orderOwnershipWorkflowId(orderId)).describe());
      const owner = record.memo?.[ORDER_OWNER_MEMO_FIELD];
      if (typeof owner !== 'string') throw new Error('the ownership record names no owner');
      return owner;
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return null;
      this.logger.error(`cannot read who owns order ${orderId}: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    }
  }
}
