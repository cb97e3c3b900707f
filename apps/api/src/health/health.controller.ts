import { Controller, Get, Inject, Res } from '@nestjs/common';
import { Client } from '@temporalio/client';
import type { Response } from 'express';
import { API_CONFIG, type ApiConfig } from '../api-config';
import { send } from '../http/http-answer';
import { DocumentedProbe } from '../openapi/documented-routes';

/** Probes for orchestrators and load balancers; no auth, no request data. */
@Controller('health')
export class HealthController {
  constructor(
    private readonly client: Client,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {}

  /** The process serves HTTP. */
  @Get('live')
  @DocumentedProbe('live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** Temporal answers: without it every write would be refused with idempotency_validation_failed. */
  @Get('ready')
  @DocumentedProbe('ready')
  async ready(@Res() response: Response): Promise<void> {
    try {
      await this.client.withDeadline(Date.now() + this.config.TEMPORAL_RPC_TIMEOUT_MS, () =>
        this.client.workflowService.getSystemInfo({}),
      );
      send(response, { status: 200, body: { status: 'ok', temporal: 'reachable' } });
    } catch {
      send(response, { status: 503, body: { status: 'unavailable', temporal: 'unreachable' } });
    }
  }
}
