import { Inject, Injectable, Logger } from '@nestjs/common';
import type { JsonValue } from '@app/contracts';
import { API_CONFIG, type ApiConfig, type Merchant } from '../api-config';
import { ApiProblemException } from '../http/api-problem';
import type { HttpAnswer } from '../http/http-answer';

/**
 * `GET /v1/orders/{id}`: a read, so it needs no idempotency and no workflow; it is passed through
 * to the upstream with the caller's merchant's token, and the upstream's status and body come back
 * as they are.
 */
@Injectable()
export class OrderReads {
  private readonly logger = new Logger(OrderReads.name);

  constructor(@Inject(API_CONFIG) private readonly config: ApiConfig) {}

  async read(merchant: Merchant, orderId: string): Promise<HttpAnswer> {
    try {
      const response = await fetch(`${this.config.UPSTREAM_BASE_URL}/v1/orders/${orderId}`, {
        headers: { authorization: `Bearer ${merchant.upstreamAccessToken}`, accept: 'application/json' },
        signal: AbortSignal.timeout(this.config.UPSTREAM_TIMEOUT_MS),
      });
      return { status: response.status, body: (await response.json()) as JsonValue };
    } catch (error) {
      this.logger.error(`reading order ${orderId} upstream failed: ${error instanceof Error ? error.message : String(error)}`);
      throw new ApiProblemException('internal_error');
    }
  }
}
