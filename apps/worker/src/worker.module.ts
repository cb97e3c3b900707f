import { Module, type DynamicModule } from '@nestjs/common';
import { ConfigSectionsModule } from '@app/config';
import { TRACING, type Tracing } from '@app/observability';
import { PaymentWorkerModule, WorkerMetrics } from '@app/payment-worker';
import { PaymentWorker } from './payment-worker';
import type { WorkerConfigSections } from './worker-config-sections';

@Module({})
export class WorkerModule {
  /**
   * Config is validated before Nest starts, so a bad variable fails with a plain message, and its
   * sections are bound for the app's providers (the payment worker's parts read theirs); metrics
   * and tracing are made before it too, because the Temporal runtime must be installed first.
   */
  static withSections(sections: WorkerConfigSections, metrics: WorkerMetrics, tracing: Tracing): DynamicModule {
    return {
      module: WorkerModule,
      imports: [ConfigSectionsModule.bind(sections), PaymentWorkerModule.register({ metrics })],
      providers: [{ provide: TRACING, useValue: tracing }, PaymentWorker],
    };
  }
}
