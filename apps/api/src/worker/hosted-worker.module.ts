import { Global, Module } from '@nestjs/common';
import type { JsonLogger } from '@app/observability';
import { installTemporalRuntime } from '@app/payment-worker';
import { HOSTED_WORKER_STATE } from '../health/readiness';
import { TemporalModule } from '../temporal/temporal.module';
import { HostedWorkers } from './hosted-workers.service';

/**
 * The worker the API hosts for eager starts, imported only when API_HOSTS_WORKER is on; its parts
 * (activities, upstream client, metrics) come from WorkerPartsModule. Global, so readiness finds
 * it when there is one.
 */
@Global()
@Module({ imports: [TemporalModule], providers: [HostedWorkers, { provide: HOSTED_WORKER_STATE, useExisting: HostedWorkers }], exports: [HOSTED_WORKER_STATE] })
export class HostedWorkerModule {
  /**
   * Before Nest starts: the hosted worker's Temporal runtime logs as JSON too. The API's
   * closeOnSignals, not the runtime, handles signals.
   */
  static async installRuntime(logger: JsonLogger): Promise<void> {
    await installTemporalRuntime(logger, false, []);
  }
}
