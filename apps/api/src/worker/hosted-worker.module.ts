import { Module } from '@nestjs/common';
import type { JsonLogger } from '@app/observability';
import { installTemporalRuntime } from '@app/payment-worker';
import { TemporalModule } from '../temporal/temporal.module';
import { HostedWorkers } from './hosted-workers.service';

/**
 * The worker the API hosts for eager starts, imported only when API_HOSTS_WORKER is on; its parts
 * (activities, upstream client, metrics) come from WorkerPartsModule.
 */
@Module({ imports: [TemporalModule], providers: [HostedWorkers] })
export class HostedWorkerModule {
  /**
   * Before Nest starts: the hosted worker's Temporal runtime logs as JSON too. The API's
   * closeOnSignals, not the runtime, handles signals.
   */
  static async installRuntime(logger: JsonLogger): Promise<void> {
    await installTemporalRuntime(logger, false, []);
  }
}
