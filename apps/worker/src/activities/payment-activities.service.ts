import { Injectable } from '@nestjs/common';
import { Context } from '@temporalio/activity';
import type { PaymentActivities, UpstreamAttempt, UpstreamRequest } from '@app/contracts';
import { UpstreamHttpClient } from '../upstream/upstream-http-client';

/** The worker's implementation of the activities the payment workflow proxies. */
@Injectable()
export class PaymentActivitiesService implements PaymentActivities {
  constructor(private readonly upstream: UpstreamHttpClient) {}

  async sendUpstreamRequest(request: UpstreamRequest): Promise<UpstreamAttempt> {
    const context = Context.current();
    const attempt = await this.upstream.send(request, context.cancellationSignal);
    // The activity logger adds workflowId, runId and attempt; the body stays out of logs.
    context.log.info('upstream attempt answered', {
      operation: request.operation,
      kind: attempt.kind,
      status: attempt.status,
      ...(attempt.kind === 'retryable' ? { reason: attempt.reason } : {}),
    });
    return attempt;
  }

  /** The plain object Temporal registers: methods bound explicitly, so `this` survives the worker's calls. */
  asActivities(): PaymentActivities {
    return { sendUpstreamRequest: this.sendUpstreamRequest.bind(this) };
  }
}
