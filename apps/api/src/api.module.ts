import { Module, type DynamicModule } from '@nestjs/common';
import { ConfigSectionsModule } from '@app/config';
import type { Tracing } from '@app/observability';
import { TEMPORAL_SECTION, type ApiConfigSections } from './api-config-sections';
import { HealthModule } from './health/health.module';
import { dialectForPath } from './http/dialects/dialect-for-path';
import { HttpModule } from './http/http.module';
import type { ApiMetrics } from './http/telemetry/api-metrics';
import { TracingModule } from './http/telemetry/tracing.module';
import { OrdersModule } from './orders/orders.module';
import { PaymentRunsModule } from './payment-runs/payment-runs.module';
import { PaymentsModule } from './payments/payments.module';
import { WebhooksModule } from './webhooks/webhooks.module';
import { HostedWorkerModule } from './worker/hosted-worker.module';
import { WorkerPartsModule, type HostedWorkerMetrics } from './worker/worker-parts.module';

/** The checkout app behind PORT: the payment API, its documents and health probes, nothing for operators. */
@Module({})
export class ApiModule {
  /** Config is validated before Nest starts, so a bad variable fails with a plain message; its sections are bound for the app's providers. */
  static withSections(sections: ApiConfigSections, tracing: Tracing, metrics: ApiMetrics, hostedWorkerMetrics: HostedWorkerMetrics): DynamicModule {
    return {
      module: ApiModule,
      imports: [
        ConfigSectionsModule.bind(sections),
        // The metrics registry is shared with the operator app, which serves it on /metrics.
        HttpModule.forApp({ metrics, dialectFor: dialectForPath }),
        TracingModule.forRoot(tracing),
        WorkerPartsModule.forApi(hostedWorkerMetrics),
        ...(sections[TEMPORAL_SECTION].hostsWorker ? [HostedWorkerModule] : []),
        PaymentsModule,
        OrdersModule,
        PaymentRunsModule,
        WebhooksModule,
        HealthModule,
      ],
    };
  }
}
