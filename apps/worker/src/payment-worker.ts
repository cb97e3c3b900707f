import { existsSync } from 'node:fs';
import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  makeWorkflowExporter,
  OpenTelemetryActivityInboundInterceptor,
  OpenTelemetryActivityOutboundInterceptor,
} from '@temporalio/interceptors-opentelemetry';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { searchAttributesProblem } from '@app/contracts';
import { encryptionKeysFrom, payloadCodecs } from '@app/encryption';
import type { Tracing } from '@app/observability';
import { PaymentActivitiesService } from './activities/payment-activities.service';
import { startWorkerHealthServer } from './health/worker-health-server';
import { WorkerMetrics } from './observability/worker-metrics';
import { WORKER_CONFIG, type WorkerConfig } from './worker-config';

/** How long in-flight upstream calls may finish after SIGINT/SIGTERM before they are cancelled. */
const SHUTDOWN_GRACE_TIME = '5s';
/** A readiness probe answers within its own timeout, whatever state Temporal is in. */
const READINESS_RPC_TIMEOUT_MS = 2_000;

export const TRACING = Symbol('TRACING');

/** Hosts the Temporal worker that executes payment workflows and their activities. */
@Injectable()
export class PaymentWorker {
  private readonly logger = new Logger(PaymentWorker.name);

  constructor(
    @Inject(WORKER_CONFIG) private readonly config: WorkerConfig,
    private readonly activities: PaymentActivitiesService,
    private readonly metrics: WorkerMetrics,
    @Inject(TRACING) private readonly tracing: Tracing,
  ) {}

  /**
   * A run upserts its outcome when it ends; with an attribute missing that task would fail and be
   * retried forever, leaving a charged payment's run open. Refuse to poll instead.
   */
  private async requireSearchAttributes(connection: NativeConnection): Promise<void> {
    const namespace = this.config.TEMPORAL_NAMESPACE;
    const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace });
    const problem = searchAttributesProblem(namespace, customAttributes);
    if (problem !== null) throw new Error(problem);
  }

  /** The tuning options BENCHMARKS.md measured; those left unset keep the SDK's defaults. */
  private tuning(): Partial<WorkerOptions> {
    const config = this.config;
    return {
      stickyQueueScheduleToStartTimeout: config.WORKER_STICKY_QUEUE_TIMEOUT_MS,
      ...(config.WORKER_WORKFLOW_TASK_POLLERS === undefined ? {} : { maxConcurrentWorkflowTaskPolls: config.WORKER_WORKFLOW_TASK_POLLERS }),
      ...(config.WORKER_ACTIVITY_TASK_POLLERS === undefined ? {} : { maxConcurrentActivityTaskPolls: config.WORKER_ACTIVITY_TASK_POLLERS }),
      ...(config.WORKER_MAX_CACHED_WORKFLOWS === undefined ? {} : { maxCachedWorkflows: config.WORKER_MAX_CACHED_WORKFLOWS }),
    };
  }

  /**
   * Polls until the process receives SIGINT or SIGTERM (the SDK's runtime turns those into a
   * graceful shutdown), then returns once in-flight tasks have drained.
   */
  async run(): Promise<void> {
    const bundlePath = this.config.WORKFLOW_BUNDLE_PATH;
    if (!existsSync(bundlePath)) {
      throw new Error(`No workflow bundle at ${bundlePath}: run \`npm run build\` first, or set WORKFLOW_BUNDLE_PATH.`);
    }
    const encryption = encryptionKeysFrom(this.config);
    if (encryption === null) this.logger.warn('PAYLOAD_ENCRYPTION_KEYS is unset: payloads are stored in Temporal in plain text');
    const connection = await NativeConnection.connect({ address: this.config.TEMPORAL_ADDRESS });
    try {
      await this.requireSearchAttributes(connection);
      const worker = await Worker.create({
        connection,
        namespace: this.config.TEMPORAL_NAMESPACE,
        taskQueue: this.config.TEMPORAL_TASK_QUEUE,
        workflowBundle: { codePath: bundlePath },
        activities: this.activities.asActivities(),
        dataConverter: { payloadCodecs: payloadCodecs(encryption) },
        shutdownGraceTime: SHUTDOWN_GRACE_TIME,
        // Activity spans continue the workflow's trace; the workflow's own spans (made by the
        // interceptors built into the bundle) leave the sandbox through the `exporter` sink.
        interceptors: {
          activity: [
            (context) => ({
              inbound: new OpenTelemetryActivityInboundInterceptor(context),
              outbound: new OpenTelemetryActivityOutboundInterceptor(context),
            }),
          ],
        },
        sinks: { exporter: makeWorkflowExporter(this.tracing.spanProcessor, this.tracing.resource) },
        ...this.tuning(),
      });
      this.logger.log(
        `polling task queue "${this.config.TEMPORAL_TASK_QUEUE}" in namespace "${this.config.TEMPORAL_NAMESPACE}" at ${this.config.TEMPORAL_ADDRESS}`,
      );
      const health =
        this.config.WORKER_HEALTH_PORT === 0
          ? null
          : await startWorkerHealthServer(this.config.HOST, this.config.WORKER_HEALTH_PORT, {
              isPolling: async () => worker.getState() === 'RUNNING' && (await temporalAnswers(connection)),
              metrics: () => this.metrics.scrape(),
            });
      try {
        await worker.run();
      } finally {
        health?.close();
      }
      this.logger.log('worker stopped');
    } finally {
      await connection.close();
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
