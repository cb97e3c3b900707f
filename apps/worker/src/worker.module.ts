import { Module, type DynamicModule } from '@nestjs/common';
import type { Tracing } from '@app/observability';
import { PaymentActivitiesService } from './activities/payment-activities.service';
import { WorkerMetrics } from './observability/worker-metrics';
import { PaymentWorker, TRACING } from './payment-worker';
import { UpstreamHttpClient } from './upstream/upstream-http-client';
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
        { provide: WorkerMetrics, useValue: metrics },
        { provide: TRACING, useValue: tracing },
        UpstreamHttpClient,
        PaymentActivitiesService,
        PaymentWorker,
      ],
    };
  }
}
