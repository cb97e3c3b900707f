import { Module, type DynamicModule, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { APP_FILTER, APP_INTERCEPTOR } from '@nestjs/core';
import type { Tracing } from '@app/observability';
import { PAYMENT_WORKER_SETTINGS, PaymentActivitiesService, UpstreamHttpClient, WorkerMetrics } from '@app/payment-worker';
import { API_CONFIG, type ApiConfig } from './api-config';
import { BearerAuthGuard } from './auth/bearer-auth.guard';
import { HealthController } from './health/health.controller';
import { Readiness } from './health/readiness';
import { ClientAuthenticator } from './auth/client-authenticator';
import { CodecController } from './codec/codec.controller';
import { CodecCorsMiddleware } from './codec/codec-cors.middleware';
import { CODEC_PATH } from './codec/codec-dialect';
import { OperatorAuthGuard } from './codec/operator-auth.guard';
import { OperatorAuthenticator } from './codec/operator-authenticator';
import { OperatorLoginController } from './codec/operator-login.controller';
import { ProblemExceptionFilter } from './http/problem-exception.filter';
import { PaymentRuns } from './idempotency/payment-runs.service';
import { AdvancedPaymentsController } from './advanced-payments/advanced-payments.controller';
import { IdempotentWrites } from './operations/idempotent-writes.service';
import { OrderReads } from './orders/order-reads.service';
import { OrdersController } from './orders/orders.controller';
import { ApiMetrics } from './observability/api-metrics';
import { MetricsController } from './observability/metrics.controller';
import { RequestScopeInterceptor } from './observability/request-scope.interceptor';
import { RequestTelemetry } from './observability/request-telemetry';
import { TRACING, TracingShutdown } from './observability/tracing-shutdown';
import { TemporalAccess } from './temporal/temporal-access';
import { temporalClientProvider } from './temporal/temporal-client.provider';

@Module({})
export class ApiModule implements NestModule {
  /** Config is validated before Nest starts, so a bad variable fails with a plain message. */
  static withConfig(config: ApiConfig, tracing: Tracing): DynamicModule {
    // Without operators nobody may decrypt, so the codec's routes do not exist at all.
    const codecOn = config.OPERATOR_TOKENS !== undefined;
    return {
      module: ApiModule,
      controllers: [
        OrdersController,
        AdvancedPaymentsController,
        HealthController,
        MetricsController,
        ...(codecOn ? [CodecController, OperatorLoginController] : []),
      ],
      providers: [
        { provide: API_CONFIG, useValue: config },
        { provide: TRACING, useValue: tracing },
        { provide: PAYMENT_WORKER_SETTINGS, useValue: config },
        // The hosted worker's attempt metrics; the process's own are already in ApiMetrics.
        { provide: WorkerMetrics, useValue: new WorkerMetrics(null, false) },
        UpstreamHttpClient,
        PaymentActivitiesService,
        { provide: APP_FILTER, useClass: ProblemExceptionFilter },
        { provide: APP_INTERCEPTOR, useClass: RequestScopeInterceptor },
        ApiMetrics,
        RequestTelemetry,
        TracingShutdown,
        temporalClientProvider,
        TemporalAccess,
        ClientAuthenticator,
        BearerAuthGuard,
        OperatorAuthenticator,
        OperatorAuthGuard,
        PaymentRuns,
        IdempotentWrites,
        OrderReads,
        Readiness,
      ],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(CodecCorsMiddleware).forRoutes(`${CODEC_PATH.slice(1)}/*path`);
  }
}
