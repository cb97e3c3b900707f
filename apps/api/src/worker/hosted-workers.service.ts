import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { encryptionKeysFrom } from '@app/encryption';
import type { Tracing } from '@app/observability';
import { buildPaymentWorkers, PaymentActivitiesService, runWorkersTogether, WorkerMetrics, type PaymentWorkers } from '@app/payment-worker';
import { API_CONFIG, type ApiConfig } from '../api-config';
import { TRACING } from '../http/telemetry/tracing.module';
import { TemporalAccess } from '../temporal/temporal-access';

const RETRY_INITIAL_MS = 500;
const RETRY_MAX_MS = 10_000;

interface Hosted extends PaymentWorkers {
  running: Promise<void>;
}

/**
 * The workers the API hosts for eager starts (API_HOSTS_WORKER): workflow tasks and local
 * activities only, so retries, which are activity tasks, stay with standalone workers. While they
 * run, TemporalAccess starts runs on their connection, eagerly (docs/architecture.md).
 */
@Injectable()
export class HostedWorkers implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('HostedWorker');
  private hosted: Hosted | null = null;
  private stopping = false;

  constructor(
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    private readonly temporal: TemporalAccess,
    private readonly activities: PaymentActivitiesService,
    private readonly metrics: WorkerMetrics,
    @Inject(TRACING) private readonly tracing: Tracing,
  ) {}

  onApplicationBootstrap(): void {
    void this.host();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    const hosted = this.hosted;
    if (hosted !== null) await this.stop(hosted);
  }

  /** Connects and starts the hosted workers, retrying with backoff until they run or the API stops. */
  private async host(): Promise<void> {
    for (let delay = RETRY_INITIAL_MS; !this.stopping; delay = Math.min(2 * delay, RETRY_MAX_MS)) {
      try {
        const hosted = await this.start();
        // The API began to stop while these workers were starting: they must not take tasks now.
        if (this.stopping) return await this.stop(hosted);
        this.hosted = hosted;
        this.logger.log(`hosting workers on task queue "${this.config.TEMPORAL_TASK_QUEUE}" for ${this.config.merchants.length} merchant(s): starts are eager`);
        return;
      } catch (error) {
        this.logger.warn(`no hosted workers yet (${error instanceof Error ? error.message : String(error)}); starts are not eager; retrying in ${delay} ms`);
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }

  private async start(): Promise<Hosted> {
    const built = await buildPaymentWorkers({
      connection: this.config.temporalConnection,
      settings: this.config,
      merchants: this.config.merchants,
      encryption: encryptionKeysFrom(this.config),
      activities: this.activities,
      metrics: this.metrics,
      tracing: this.tracing,
      role: 'hosted',
    });
    const running = runWorkersTogether(built.workers).then(
      () => this.logger.log('hosted workers stopped'),
      (error: unknown) => this.logger.error(`hosted workers failed: ${error instanceof Error ? error.message : String(error)}`),
    );
    // Whatever ends the workers, starts go back to the lazy clients, without eager start.
    void running.finally(() => this.temporal.stopEagerStarts());
    this.temporal.startEagerOn(built.connection);
    return { ...built, running };
  }

  private async stop(hosted: Hosted): Promise<void> {
    this.temporal.stopEagerStarts();
    for (const worker of hosted.workers) if (worker.getState() === 'RUNNING') worker.shutdown();
    await hosted.running;
    await hosted.connection.close();
  }
}
