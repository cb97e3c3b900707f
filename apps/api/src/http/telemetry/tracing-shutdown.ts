import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { Tracing } from '@app/observability';

export const TRACING = Symbol('TRACING');

/** Sends the spans still buffered when the API stops, so the last requests' traces are not lost. */
@Injectable()
export class TracingShutdown implements OnApplicationShutdown {
  constructor(@Inject(TRACING) private readonly tracing: Tracing) {}

  async onApplicationShutdown(): Promise<void> {
    await this.tracing.shutdown();
  }
}
