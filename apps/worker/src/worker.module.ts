import { Module, type DynamicModule } from '@nestjs/common';
import type { Tracing } from '@app/observability';
import { PAYMENT_WORKER_SETTINGS, PaymentActivitiesService, UpstreamHttpClient, WorkerMetrics } from '@app/payment-worker';
import { PaymentWorker, TRACING } from './payment-worker';
import { WORKER_CONFIG, type WorkerConfig } from './worker-config';

@Module({})
export class WorkerModule {
  /**
   * Config is validated before Nest starts, so a bad variable fails with a plain message; metrics
   * and tracing are made before it too, because the Temporal runtime must be installed first.
   */
  static withConfig(config: WorkerConfig, metrics: WorkerMetrics, tracing: Tracing): DynamicModule {
    return {
      module: WorkerModule,
      providers: [
        { provide: WORKER_CONFIG, useValue: config },
        { provide: PAYMENT_WORKER_SETTINGS, useValue: config },
        { provide: WorkerMetrics, useValue: metrics },
        { provide: TRACING, useValue: tracing },
        UpstreamHttpClient,
        PaymentActivitiesService,
        PaymentWorker,
      ],
    };
  }
}
