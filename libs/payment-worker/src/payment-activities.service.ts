import { Injectable } from '@nestjs/common';
import { ApplicationFailure, Context } from '@temporalio/activity';
import {
  FORBIDDEN_UPSTREAM_REQUEST,
  forbiddenUpstreamRequest,
  type OrderRead,
  type OrderReadRequest,
  type PaymentActivities,
  type UpstreamAttempt,
  type UpstreamRequest,
} from '@app/contracts';
import type { MerchantAccount } from './payment-worker-config';
import { UpstreamHttpClient } from './upstream-http-client';

/** The worker's implementation of the activities the payment workflow proxies. */
@Injectable()
export class PaymentActivitiesService {
  constructor(private readonly upstream: UpstreamHttpClient) {}

  /**
   * The activities of one merchant's worker: the token comes from the namespace the worker polls,
   * so a run can only ever spend the credentials of the merchant whose namespace holds it.
   */
  forMerchant(merchant: MerchantAccount): PaymentActivities {
    return {
      sendUpstreamRequest: (request) => this.sendUpstreamRequest(request, merchant.upstreamAccessToken),
      readUpstreamOrder: (request) => this.readUpstreamOrder(request, merchant.upstreamAccessToken),
    };
  }

  private async readUpstreamOrder(request: OrderReadRequest, accessToken: string): Promise<OrderRead> {
    const context = Context.current();
    const read = await this.upstream.readOrder(request.orderId, accessToken, request.timeoutMs, context.cancellationSignal);
    context.log.info('order read', { kind: read.kind, ...(read.kind === 'read' ? { status: read.status } : { reason: read.reason }) });
    return read;
  }

  private async sendUpstreamRequest(request: UpstreamRequest, accessToken: string): Promise<UpstreamAttempt> {
    const context = Context.current();
    // Whoever can start a workflow chooses this input: send only what the API itself could have asked.
    const forbidden = forbiddenUpstreamRequest(request);
    if (forbidden !== null) {
      context.log.error('upstream attempt refused', { reason: forbidden });
      throw ApplicationFailure.create({ type: FORBIDDEN_UPSTREAM_REQUEST, message: `refused to send: ${forbidden}`, nonRetryable: true });
    }
    const attempt = await this.upstream.send(request, accessToken, context.cancellationSignal);
    // The activity logger adds workflowId, runId and attempt; the body stays out of logs.
    context.log.info('upstream attempt answered', {
      operation: request.operation,
      kind: attempt.kind,
      status: attempt.status,
      ...(attempt.kind === 'retryable' ? { reason: attempt.reason } : {}),
    });
    return attempt;
  }
}
