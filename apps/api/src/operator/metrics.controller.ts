import { Controller, Get, Headers, Inject, Res } from '@nestjs/common';
import type { Response } from 'express';
import { OPERATOR_SECTION, type OperatorSection } from '../api-config-sections';
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
    @Inject(OPERATOR_SECTION) operator: OperatorSection,
  ) {
    this.scrapers = operator.metricsToken === null ? null : new NamedTokens(new Map([['prometheus', operator.metricsToken]]));
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
