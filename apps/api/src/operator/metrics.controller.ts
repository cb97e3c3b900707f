import { Controller, Get, Headers, Inject, Res } from '@nestjs/common';
import type { Response } from 'express';
import { API_CONFIG, type ApiConfig } from '../api-config';
import { NamedTokens } from '../http/auth/named-tokens';
import { ApiProblemException } from '../http/problems/api-problem';
import { ApiMetrics } from '../http/telemetry/api-metrics';

export const METRICS_PATH = '/metrics';

/** Another registry's Prometheus text page, served after the API's own: the hosted worker's. */
export interface MetricsPage {
  scrape(): Promise<string>;
}

export const HOSTED_WORKER_METRICS = Symbol('HOSTED_WORKER_METRICS');

/** Prometheus scrape endpoint, on the operator port; behind METRICS_TOKEN when one is set. */
@Controller(METRICS_PATH.slice(1))
export class MetricsController {
  private readonly scrapers: NamedTokens | null;

  constructor(
    private readonly metrics: ApiMetrics,
    @Inject(HOSTED_WORKER_METRICS) private readonly workerMetrics: MetricsPage,
    @Inject(API_CONFIG) config: ApiConfig,
  ) {
    this.scrapers = config.METRICS_TOKEN === undefined ? null : new NamedTokens(new Map([['prometheus', config.METRICS_TOKEN]]));
  }

  @Get()
  async scrape(@Headers('authorization') authorization: string | undefined, @Res() response: Response): Promise<void> {
    if (!this.authorised(authorization)) throw new ApiProblemException('unauthorized', 'Send METRICS_TOKEN as Authorization: Bearer <token>.');
    // The API's own, then its hosted worker's upstream attempts (none when API_HOSTS_WORKER=false).
    response.type(this.metrics.registry.contentType).send(`${await this.metrics.registry.metrics()}\n${await this.workerMetrics.scrape()}`);
  }

  private authorised(authorization: string | undefined): boolean {
    return this.scrapers === null || this.scrapers.authenticate(authorization) !== null;
  }
}
