import { Module, type DynamicModule, type InjectionToken } from '@nestjs/common';
import { PaymentActivitiesService } from './payment-activities.service';
import { PAYMENT_WORKER_SETTINGS, UpstreamHttpClient } from './upstream-http-client';
import { WorkerMetrics } from './worker-metrics';

/**
 * What a payment worker runs (its activities and their upstream client), for any app that hosts
 * one. `settings` is the token under which the app already binds its validated config, which
 * holds the PaymentWorkerSettings: the config is bound once and aliased here, never bound twice.
 */
@Module({})
export class PaymentWorkerModule {
  static register({ settings, metrics }: { settings: InjectionToken; metrics: WorkerMetrics }): DynamicModule {
    return {
      module: PaymentWorkerModule,
      providers: [{ provide: PAYMENT_WORKER_SETTINGS, useExisting: settings }, { provide: WorkerMetrics, useValue: metrics }, UpstreamHttpClient, PaymentActivitiesService],
      exports: [WorkerMetrics, UpstreamHttpClient, PaymentActivitiesService],
    };
  }
}
