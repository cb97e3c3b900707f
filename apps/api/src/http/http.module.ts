import { Global, Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { ProblemExceptionFilter } from './dialects/problem-exception.filter';
import type { ProblemDialect } from './dialects/response-dialect';
import { ApiMetrics } from './telemetry/api-metrics';
import { RequestTelemetry } from './telemetry/request-telemetry';

/**
 * What every HTTP app of the API shares: its errors answered in the dialect `dialectFor` picks for
 * the path (one exception filter), each request counted and traced, and the metrics registry,
 * which the checkout and operator apps share.
 */
@Global()
@Module({})
export class HttpModule {
  static forApp({ metrics, dialectFor }: { metrics: ApiMetrics; dialectFor: (path: string) => ProblemDialect }): DynamicModule {
    return {
      module: HttpModule,
      providers: [{ provide: ApiMetrics, useValue: metrics }, { provide: APP_FILTER, useValue: new ProblemExceptionFilter(dialectFor) }, RequestTelemetry],
      exports: [ApiMetrics, RequestTelemetry],
    };
  }
}
