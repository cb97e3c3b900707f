import { Inject, Injectable, Logger } from '@nestjs/common';
import type { NativeConnection } from '@temporalio/worker';
import { deploymentVersionOf, PAYMENT_WORKER_SECTION, type PaymentWorkerSection } from '@app/config';
import { TRACING, type Tracing } from '@app/observability';
import { buildPaymentWorkers, PaymentActivitiesService, runWorkersTogether, WorkerMetrics } from '@app/payment-worker';
import { startWorkerHealthServer } from './health/worker-health-server';
import { HEALTH_SECTION, MERCHANTS_SECTION, TEMPORAL_SECTION, type HealthSection, type MerchantsSection, type TemporalSection } from './worker-config-sections';

/** A readiness probe answers within its own timeout, whatever state Temporal is in. */
const READINESS_RPC_TIMEOUT_MS = 2_000;

/**
 * Hosts the Temporal workers that execute payment workflows and their activities: one per
 * merchant, each polling the task queue in that merchant's namespace, all on one connection.
 */
@Injectable()
export class PaymentWorker {
  private readonly logger = new Logger(PaymentWorker.name);

  constructor(
    @Inject(TEMPORAL_SECTION) private readonly temporal: TemporalSection,
    @Inject(MERCHANTS_SECTION) private readonly merchants: MerchantsSection,
    @Inject(PAYMENT_WORKER_SECTION) private readonly settings: PaymentWorkerSection,
    @Inject(HEALTH_SECTION) private readonly health: HealthSection,
    private readonly activities: PaymentActivitiesService,
    private readonly metrics: WorkerMetrics,
    @Inject(TRACING) private readonly tracing: Tracing,
  ) {}

  /**
   * Polls until the process receives SIGINT or SIGTERM (the SDK's runtime turns those into a
   * graceful shutdown), then returns once in-flight tasks have drained.
   */
  async run(): Promise<void> {
    const { connection: connectionOptions, encryption } = this.temporal;
    if (encryption === null) this.logger.warn('PAYLOAD_ENCRYPTION_KEYS is unset: payloads are stored in Temporal in plain text');
    const { connection, workers } = await buildPaymentWorkers({
      connection: connectionOptions,
      settings: this.settings,
      merchants: this.merchants,
      encryption,
      activities: this.activities,
      metrics: this.metrics,
      tracing: this.tracing,
      role: 'standalone',
    });
    try {
      const version = deploymentVersionOf(this.settings);
      const as = version === null ? 'unversioned' : `as version ${version.deploymentName}:${version.buildId}`;
      for (const merchant of this.merchants) {
        this.logger.log(
          `polling task queue "${this.settings.TEMPORAL_TASK_QUEUE}" in namespace "${merchant.namespace}" (merchant "${merchant.name}") at ${connectionOptions.address}, ${as}`,
        );
      }
      const health =
        this.health.port === 0
          ? null
          : await startWorkerHealthServer(this.health.host, this.health.port, {
              isPolling: async () => workers.every((worker) => worker.getState() === 'RUNNING') && (await temporalAnswers(connection)),
              metrics: () => this.metrics.scrape(),
            });
      try {
        await runWorkersTogether(workers);
      } finally {
        health?.close();
      }
      this.logger.log('worker stopped');
    } finally {
      // A worker that never ran (another merchant's failed to start) keeps the connection
      // referenced and close() throws; that must not hide the error that got us here.
      await connection.close().catch((error: unknown) => this.logger.warn(`closing the Temporal connection failed: ${error instanceof Error ? error.message : String(error)}`));
    }
  }
}

/**
 * The worker stays RUNNING while Temporal is down (it keeps retrying its polls), so "polling" also
 * needs the server to answer now.
 */
async function temporalAnswers(connection: NativeConnection): Promise<boolean> {
  try {
    await connection.withDeadline(Date.now() + READINESS_RPC_TIMEOUT_MS, () => connection.healthService.check({}));
    return true;
  } catch {
    return false;
  }
}
