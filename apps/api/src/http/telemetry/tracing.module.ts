import { Global, Module, type DynamicModule } from '@nestjs/common';
import { TRACING, type Tracing } from '@app/observability';

/**
 * The process's tracing, started before Nest. Its last spans are flushed by closeOnSignals once
 * both apps have closed and the hosted worker has drained, not by a Nest hook: Nest runs one
 * module's hooks together, and a flush beside the worker's drain would lose the spans made after it.
 */
@Global()
@Module({})
export class TracingModule {
  static forRoot(tracing: Tracing): DynamicModule {
    return { module: TracingModule, providers: [{ provide: TRACING, useValue: tracing }], exports: [TRACING] };
  }
}
