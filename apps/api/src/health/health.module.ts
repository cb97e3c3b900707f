import { Module } from '@nestjs/common';
import { TemporalModule } from '../temporal/temporal.module';
import { HealthController } from './health.controller';
import { Readiness } from './readiness';

/** Liveness and readiness probes. */
@Module({ imports: [TemporalModule], controllers: [HealthController], providers: [Readiness] })
export class HealthModule {}
