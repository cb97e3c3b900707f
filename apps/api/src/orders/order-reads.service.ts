import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Merchant } from '../api-config';
import { RUNS_SECTION, type RunsSection } from '../api-config-sections';
import { ApiProblemException } from '../http/problems/api-problem';
import type { HttpAnswer } from '../http/problems/http-answer';
import { UPSTREAM_READS, type UpstreamReads } from '../worker/upstream-reads';

/**
 * `GET /v1/orders/{id}`: a read, so it needs no idempotency and no workflow; it is passed through
 * to the upstream with the caller's merchant's token, and the upstream's status and body come back
 * as they are.
 */
@Injectable()
export class OrderReads {
  private readonly logger = new Logger(OrderReads.name);

  constructor(
    @Inject(RUNS_SECTION) private readonly runs: RunsSection,
    @Inject(UPSTREAM_READS) private readonly upstream: UpstreamReads,
  ) {}

  async read(merchant: Merchant, orderId: string): Promise<HttpAnswer> {
    const read = await this.upstream.readOrder(orderId, merchant, this.runs.upstreamTimeoutMs);
    if (read.kind === 'read') return { status: read.status, body: read.body };
    this.logger.error(`reading order ${orderId} upstream failed: ${read.reason}`);
    throw new ApiProblemException('internal_error');
  }
}
