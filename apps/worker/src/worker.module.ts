import { Module, type DynamicModule } from '@nestjs/common';
import { PaymentActivitiesService } from './activities/payment-activities.service';
import { PaymentWorker } from './payment-worker';
import { UpstreamHttpClient } from './upstream/upstream-http-client';
import { WORKER_CONFIG, type WorkerConfig } from './worker-config';

@Module({})
export class WorkerModule {
  /** Config is validated before Nest starts, so a bad variable fails with a plain message. */
  static withConfig(config: WorkerConfig): DynamicModule {
    return {
      module: WorkerModule,
      providers: [{ provide: WORKER_CONFIG, useValue: config }, UpstreamHttpClient, PaymentActivitiesService, PaymentWorker],
    };
  }
}
