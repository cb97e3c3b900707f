import { Global, Module, type DynamicModule } from '@nestjs/common';
import { PaymentWorkerModule, UpstreamHttpClient, WorkerMetrics } from '@app/payment-worker';
import { UPSTREAM_READS } from './upstream-reads';

/** The hosted worker's own metrics; the API's process metrics are already in ApiMetrics. */
export type HostedWorkerMetrics = WorkerMetrics;

/** Made before the apps, because the operator app serves what the checkout app's hosted worker counts. */
export function newHostedWorkerMetrics(): HostedWorkerMetrics {
  return new WorkerMetrics(null, false);
}

/**
 * The payment worker's parts in the API: the upstream client behind order reads (UPSTREAM_READS)
 * and the activities the hosted worker runs (HostedWorkerModule), one instance of each, reading
 * the API's payment worker section of its config.
 */
@Global()
@Module({})
export class WorkerPartsModule {
  static forApi(metrics: HostedWorkerMetrics): DynamicModule {
    return {
      module: WorkerPartsModule,
      imports: [PaymentWorkerModule.register({ metrics })],
      providers: [{ provide: UPSTREAM_READS, useExisting: UpstreamHttpClient }],
      exports: [PaymentWorkerModule, UPSTREAM_READS],
    };
  }
}
