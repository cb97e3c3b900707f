import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { PAYMENT_WORKER_SECTION, type PaymentWorkerSection } from '@app/config';
import { TRACING, type Tracing } from '@app/observability';
import { buildPaymentWorkers, PaymentActivitiesService, RunConclusions, runWorkersTogether, WorkerMetrics, type PaymentWorkers } from '@app/payment-worker';
import { Counter, Gauge } from 'prom-client';
import { MERCHANTS_SECTION, TEMPORAL_SECTION, type MerchantsSection, type TemporalSection } from '../api-config-sections';
import type { HostedWorkerState } from '../health/readiness';
import { ApiMetrics } from '../http/telemetry/api-metrics';
import { TemporalAccess } from '../temporal/temporal-access';

/**
 * The back-off between attempts to start the hosted workers, at boot and after they failed:
 * 0.5 s, doubled each consecutive failure, at most 10 s (docs/operations.md, "The hosted worker").
 */
const RETRY_INITIAL_MS = 500;
const RETRY_MAX_MS = 10_000;

interface Hosted extends PaymentWorkers {
  /** Settles once every worker has stopped: `failed` when one failed on its own. */
  running: Promise<'stopped' | 'failed'>;
}

/**
 * The workers the API hosts for eager starts (API_HOSTS_WORKER): workflow tasks and local
 * activities only, so retries, which are activity tasks, stay with standalone workers. While they
 * run, TemporalAccess starts runs on their connection, eagerly (docs/architecture.md); when they
 * fail (a fatal worker error), they are started again with back-off, and meanwhile readiness says
 * so and starts go through matching.
 */
@Injectable()
export class HostedWorkers implements OnApplicationBootstrap, OnApplicationShutdown, HostedWorkerState {
  private readonly logger = new Logger('HostedWorker');
  private hosted: Hosted | null = null;
  private stopping = false;
  private readonly restarts: Counter;
  private readonly up: Gauge;

  constructor(
    @Inject(TEMPORAL_SECTION) private readonly temporalSettings: TemporalSection,
    @Inject(MERCHANTS_SECTION) private readonly merchants: MerchantsSection,
    @Inject(PAYMENT_WORKER_SECTION) private readonly settings: PaymentWorkerSection,
    private readonly temporal: TemporalAccess,
    private readonly conclusions: RunConclusions,
    private readonly activities: PaymentActivitiesService,
    private readonly metrics: WorkerMetrics,
    @Inject(TRACING) private readonly tracing: Tracing,
    apiMetrics: ApiMetrics,
  ) {
    // In the API's registry, and only in an API that hosts workers, so a 0 always means "down".
    this.restarts = new Counter({ name: 'hosted_worker_restarts_total', help: 'Times the hosted workers were started again after failing', registers: [apiMetrics.registry] });
    this.up = new Gauge({ name: 'hosted_worker_up', help: 'Whether the hosted workers run (1) or not (0: starting, restarting or stopped)', registers: [apiMetrics.registry] });
  }

  /** Whether the hosted workers run now: eager starts go through them. */
  get running(): boolean {
    return this.hosted !== null;
  }

  onApplicationBootstrap(): void {
    void this.host();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    const hosted = this.hosted;
    if (hosted !== null) await this.stop(hosted);
  }

  /**
   * Starts the hosted workers, and again whenever they fail, until the API stops: with back-off
   * after each failure to start or to run, reset once they have run for RETRY_MAX_MS.
   */
  private async host(): Promise<void> {
    for (let delay = RETRY_INITIAL_MS; !this.stopping;) {
      try {
        const hosted = await this.start();
        // The API began to stop while these workers were starting: they must not take tasks now.
        if (this.stopping) return await this.stop(hosted);
        this.hosted = hosted;
        this.up.set(1);
        this.logger.log(`hosting workers on task queue "${this.temporalSettings.taskQueue}" for ${this.merchants.length} merchant(s): starts are eager`);
        const startedAt = Date.now();
        const ended = await hosted.running;
        this.hosted = null;
        this.up.set(0);
        if (ended === 'stopped' || this.stopping) return;
        await hosted.connection
          .close()
          .catch((error: unknown) => this.logger.warn(`closing the failed workers' connection failed: ${error instanceof Error ? error.message : String(error)}`));
        if (Date.now() - startedAt >= RETRY_MAX_MS) delay = RETRY_INITIAL_MS;
        this.restarts.inc();
        this.logger.warn(`restarting the hosted workers in ${delay} ms; starts are not eager until then`);
      } catch (error) {
        this.logger.warn(`no hosted workers yet (${error instanceof Error ? error.message : String(error)}); starts are not eager; retrying in ${delay} ms`);
      }
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(2 * delay, RETRY_MAX_MS);
    }
  }

  private async start(): Promise<Hosted> {
    const built = await buildPaymentWorkers({
      connection: this.temporalSettings.connection,
      settings: this.settings,
      merchants: this.merchants,
      encryption: this.temporalSettings.encryption,
      activities: this.activities,
      metrics: this.metrics,
      tracing: this.tracing,
      role: 'hosted',
      conclusions: this.conclusions,
    });
    const running = runWorkersTogether(built.workers).then(
      () => {
        this.logger.log('hosted workers stopped');
        return 'stopped' as const;
      },
      (error: unknown) => {
        this.logger.error(`hosted workers failed: ${error instanceof Error ? error.message : String(error)}`);
        return 'failed' as const;
      },
    );
    // Whatever ends the workers, starts go back to the lazy clients, without eager start, and
    // requests waiting on what these workers would have reported wait on Temporal instead.
    void running.finally(() => {
      this.temporal.stopEagerStarts();
      this.conclusions.abandonAll();
    });
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
