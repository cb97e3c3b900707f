import { Controller, Get, Headers, Inject, Res } from '@nestjs/common';
import type { Response } from 'express';
import { API_CONFIG, type ApiConfig } from '../api-config';
import { NamedTokens } from '../auth/named-tokens';
import { ApiProblemException } from '../http/api-problem';
import { ApiMetrics } from './api-metrics';

export const METRICS_PATH = '/metrics';

/** Prometheus scrape endpoint, on the operator port; behind METRICS_TOKEN when one is set. */
@Controller(METRICS_PATH.slice(1))
export class MetricsController {
  private readonly scrapers: NamedTokens | null;

  constructor(
    private readonly metrics: ApiMetrics,
    @Inject(API_CONFIG) config: ApiConfig,
  ) {
    this.scrapers = config.METRICS_TOKEN === undefined ? null : new NamedTokens(new Map([['prometheus', config.METRICS_TOKEN]]));
  }

  @Get()
  async scrape(@Headers('authorization') authorization: string | undefined, @Res() response: Response): Promise<void> {
    if (!this.authorised(authorization)) throw new ApiProblemException('unauthorized', 'Send METRICS_TOKEN as Authorization: Bearer <token>.');
    response.type(this.metrics.registry.contentType).send(await this.metrics.registry.metrics());
  }

  private authorised(authorization: string | undefined): boolean {
    return this.scrapers === null || this.scrapers.authenticate(authorization) !== null;
  }
}
