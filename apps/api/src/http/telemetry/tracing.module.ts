import { Global, Module, type DynamicModule } from '@nestjs/common';
import type { Tracing } from '@app/observability';
import { TRACING, TracingShutdown } from './tracing-shutdown';

/** The process's tracing, started before Nest; its last spans are flushed when the app stops. */
@Global()
@Module({})
export class TracingModule {
  static forRoot(tracing: Tracing): DynamicModule {
    return { module: TracingModule, providers: [{ provide: TRACING, useValue: tracing }, TracingShutdown], exports: [TRACING] };
  }
}
