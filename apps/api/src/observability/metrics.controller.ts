import { timingSafeEqual } from 'node:crypto';
import { Controller, Get, Headers, Inject, Res } from '@nestjs/common';
import type { Response } from 'express';
import { API_CONFIG, type ApiConfig } from '../api-config';
import { bearerToken, digest } from '../auth/client-authenticator';
import { ApiProblemException } from '../http/api-problem';
import { ApiMetrics } from './api-metrics';

/** Prometheus scrape endpoint; behind METRICS_TOKEN when one is set. */
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly metrics: ApiMetrics,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {}

  @Get()
  async scrape(@Headers('authorization') authorization: string | undefined, @Res() response: Response): Promise<void> {
    if (!this.authorised(authorization)) throw new ApiProblemException('unauthorized');
    response.type(this.metrics.registry.contentType).send(await this.metrics.registry.metrics());
  }

  private authorised(authorization: string | undefined): boolean {
    const token = this.config.METRICS_TOKEN;
    return token === undefined || timingSafeEqual(digest(bearerToken(authorization)), digest(token));
  }
}
