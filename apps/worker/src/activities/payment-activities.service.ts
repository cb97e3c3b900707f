import { Injectable } from '@nestjs/common';
import { Context } from '@temporalio/activity';
import type { PaymentActivities, UpstreamAttempt, UpstreamRequest } from '@app/contracts';
import { UpstreamHttpClient } from '../upstream/upstream-http-client';

/** The worker's implementation of the activities the payment workflow proxies. */
@Injectable()
export class PaymentActivitiesService implements PaymentActivities {
  constructor(private readonly upstream: UpstreamHttpClient) {}

  async sendUpstreamRequest(request: UpstreamRequest): Promise<UpstreamAttempt> {
    return this.upstream.send(request, Context.current().cancellationSignal);
  }

  /** The plain object Temporal registers: methods bound explicitly, so `this` survives the worker's calls. */
  asActivities(): PaymentActivities {
    return { sendUpstreamRequest: this.sendUpstreamRequest.bind(this) };
  }
}
