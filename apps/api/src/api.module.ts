import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_INTERCEPTOR } from '@nestjs/core';
import type { Tracing } from '@app/observability';
import { PAYMENT_WORKER_SETTINGS, PaymentActivitiesService, UpstreamHttpClient, WorkerMetrics } from '@app/payment-worker';
import { API_CONFIG, type ApiConfig } from './api-config';
import { BearerAuthGuard } from './http/auth/bearer-auth.guard';
import { HealthController } from './health/health.controller';
import { Readiness } from './health/readiness';
import { ClientAuthenticator } from './http/auth/client-authenticator';
import { dialectForPath } from './http/dialects/dialect-for-path';
import { ProblemExceptionFilter } from './http/dialects/problem-exception.filter';
import { PaymentRuns } from './payment-runs/payment-runs.service';
import { AdvancedPaymentsController } from './payments/advanced-payments.controller';
import { OrderWritesController } from './payments/order-writes.controller';
import { IdempotentWrites } from './payments/idempotent-writes.service';
import { OrderOwnership } from './orders/order-ownership.service';
import { PaymentRunStatuses } from './payment-runs/payment-run-status.service';
import { PaymentRunsController } from './payment-runs/payment-runs.controller';
import { OrderReads } from './orders/order-reads.service';
import { OrdersController } from './orders/orders.controller';
import { ApiMetrics } from './http/telemetry/api-metrics';
import { RequestScopeInterceptor } from './http/telemetry/request-scope.interceptor';
import { RequestTelemetry } from './http/telemetry/request-telemetry';
import { TRACING, TracingShutdown } from './http/telemetry/tracing-shutdown';
import { TemporalAccess } from './temporal/temporal-access';
import { MercadoPagoWebhookController } from './webhooks/mercadopago-webhook.controller';
import { NotificationIntake } from './webhooks/notification-intake.service';

/** The checkout app behind PORT: the payment API, its documents and health probes, nothing for operators. */
@Module({})
export class ApiModule {
  /** Config is validated before Nest starts, so a bad variable fails with a plain message. */
  static withConfig(config: ApiConfig, tracing: Tracing, metrics: ApiMetrics, hostedWorkerMetrics: WorkerMetrics): DynamicModule {
    return {
      module: ApiModule,
      controllers: [OrderWritesController, OrdersController, AdvancedPaymentsController, PaymentRunsController, MercadoPagoWebhookController, HealthController],
      providers: [
        { provide: API_CONFIG, useValue: config },
        { provide: TRACING, useValue: tracing },
        // Shared with the operator app, which serves both on /metrics.
        { provide: ApiMetrics, useValue: metrics },
        { provide: WorkerMetrics, useValue: hostedWorkerMetrics },
        // The worker the API hosts for eager starts (TemporalAccess), and the activity it runs.
        { provide: PAYMENT_WORKER_SETTINGS, useValue: config },
        UpstreamHttpClient,
        PaymentActivitiesService,
        { provide: APP_FILTER, useValue: new ProblemExceptionFilter(dialectForPath) },
        { provide: APP_INTERCEPTOR, useClass: RequestScopeInterceptor },
        RequestTelemetry,
        TracingShutdown,
        TemporalAccess,
        Readiness,
        ClientAuthenticator,
        BearerAuthGuard,
        PaymentRuns,
        IdempotentWrites,
        OrderReads,
        OrderOwnership,
        PaymentRunStatuses,
        NotificationIntake,
      ],
    };
  }
}
