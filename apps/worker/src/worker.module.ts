import { Global, Module, type DynamicModule } from '@nestjs/common';
import { TRACING, type Tracing } from '@app/observability';
import { PaymentWorkerModule, WorkerMetrics } from '@app/payment-worker';
import { PaymentWorker } from './payment-worker';
import { WORKER_CONFIG, type WorkerConfig } from './worker-config';

/** The validated config, bound once for the whole app (the payment worker's parts read it too). */
@Global()
@Module({})
class WorkerConfigModule {
  static withConfig(config: WorkerConfig): DynamicModule {
    return { module: WorkerConfigModule, providers: [{ provide: WORKER_CONFIG, useValue: config }], exports: [WORKER_CONFIG] };
  }
}

@Module({})
export class WorkerModule {
  /**
   * Config is validated before Nest starts, so a bad variable fails with a plain message; metrics
   * and tracing are made before it too, because the Temporal runtime must be installed first.
   */
  static withConfig(config: WorkerConfig, metrics: WorkerMetrics, tracing: Tracing): DynamicModule {
    return {
      module: WorkerModule,
      imports: [WorkerConfigModule.withConfig(config), PaymentWorkerModule.register({ settings: WORKER_CONFIG, metrics })],
      providers: [{ provide: TRACING, useValue: tracing }, PaymentWorker],
    };
  }
}
