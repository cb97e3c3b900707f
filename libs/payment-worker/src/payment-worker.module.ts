import { Module, type DynamicModule } from '@nestjs/common';
import { PaymentActivitiesService } from './payment-activities.service';
import { UpstreamHttpClient } from './upstream-http-client';
import { WorkerMetrics } from './worker-metrics';

/**
 * What a payment worker runs (its activities and their upstream client), for any app that hosts
 * one. They read the app's PAYMENT_WORKER_SECTION (libs/config), which the app binds once with
 * the rest of its config sections.
 */
@Module({})
export class PaymentWorkerModule {
  static register({ metrics }: { metrics: WorkerMetrics }): DynamicModule {
    return {
      module: PaymentWorkerModule,
      providers: [{ provide: WorkerMetrics, useValue: metrics }, UpstreamHttpClient, PaymentActivitiesService],
      exports: [WorkerMetrics, UpstreamHttpClient, PaymentActivitiesService],
    };
  }
}
