import { Controller, Get, Res } from '@nestjs/common';
import type { Response } from 'express';
import { send } from '../http/problems/http-answer';
import { DocumentedProbe } from './documented-probes';
import { Readiness } from './readiness';

/** Probes for orchestrators and load balancers; no auth, no request data. */
@Controller('health')
export class HealthController {
  constructor(private readonly readiness: Readiness) {}

  /** The process serves HTTP. */
  @Get('live')
  @DocumentedProbe('live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** Writes can succeed: without Temporal, or its search attributes, every write would be refused or never finish. */
  @Get('ready')
  @DocumentedProbe('ready')
  async ready(@Res() response: Response): Promise<void> {
    send(response, await this.readiness.check());
  }
}
