import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { Client } from '@temporalio/client';
import { OpenTelemetryWorkflowClientInterceptor } from '@temporalio/interceptors-opentelemetry';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { encryptionKeysFrom, payloadCodecs } from '@app/encryption';
import type { Tracing } from '@app/observability';
import { createPaymentWorker, PaymentActivitiesService } from '@app/payment-worker';
import { API_CONFIG, type ApiConfig } from '../api-config';
import { TRACING } from '../observability/tracing-shutdown';

const RETRY_INITIAL_MS = 500;
const RETRY_MAX_MS = 10_000;

/** The client options every client of the API uses, whatever its connection. */
export function apiClientOptions(config: ApiConfig) {
  return {
    namespace: config.TEMPORAL_NAMESPACE,
    dataConverter: { payloadCodecs: payloadCodecs(encryptionKeysFrom(config)) },
    // With tracing on, the request's trace context goes in the start's headers: the run's spans join its trace.
    interceptors: { workflow: config.OTEL_EXPORTER_OTLP_ENDPOINT === undefined ? [] : [new OpenTelemetryWorkflowClientInterceptor()] },
  };
}

/**
 * The client that starts payment runs, and the worker the API hosts beside it (API_HOSTS_WORKER).
 *
 * Eager workflow start: a start that asks for it, sent on the same native connection a local
 * worker polls, comes back with the run's first workflow task, which that worker runs at once:
 * with the first attempt as a local activity, a payment whose upstream answers costs one start
 * and one task completion. Everything after a first task goes through the task queue: retries
 * are activity tasks, which only standalone workers take; later workflow tasks go to any worker
 * polling the queue, this one included (first to the worker that has the run cached).
 *
 * Until the hosted worker runs (Temporal down at boot, a namespace without the search attributes)
 * and after it stops, runs start through the lazy client without eager start, exactly as with
 * API_HOSTS_WORKER=false: the API boots and fails closed whatever state Temporal is in.
 */
@Injectable()
export class TemporalAccess implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('HostedWorker');
  private current: { client: Client; eager: boolean };
  private hosted: { connection: NativeConnection; worker: Worker; running: Promise<void> } | null = null;
  private stopping = false;

  constructor(
    private readonly lazyClient: Client,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    private readonly activities: PaymentActivitiesService,
    @Inject(TRACING) private readonly tracing: Tracing,
  ) {
    this.current = { client: lazyClient, eager: false };
  }

  get client(): Client {
    return this.current.client;
  }

  /** Whether a start may ask for eager execution: only when a worker polls on the client's connection. */
  get eagerStart(): boolean {
    return this.current.eager;
  }

  onApplicationBootstrap(): void {
    if (this.config.API_HOSTS_WORKER) void this.hostWorker();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    const hosted = this.hosted;
    if (hosted === null) return;
    this.current = { client: this.lazyClient, eager: false };
    if (hosted.worker.getState() === 'RUNNING') hosted.worker.shutdown();
    await hosted.running;
    await hosted.connection.close();
  }

  /** Connects and starts the hosted worker, retrying with backoff until it runs or the API stops. */
  private async hostWorker(): Promise<void> {
    for (let delay = RETRY_INITIAL_MS; !this.stopping; delay = Math.min(2 * delay, RETRY_MAX_MS)) {
      try {
        const hosted = await this.startWorker();
        if (this.stopping) {
          // The API began to stop while this worker was starting: it must not take tasks now.
          this.current = { client: this.lazyClient, eager: false };
          hosted.worker.shutdown();
          await hosted.running;
          await hosted.connection.close();
          return;
        }
        this.hosted = hosted;
        this.logger.log(`hosting a worker on task queue "${this.config.TEMPORAL_TASK_QUEUE}": starts are eager`);
        return;
      } catch (error) {
        this.logger.warn(`no hosted worker yet (${error instanceof Error ? error.message : String(error)}); starts are not eager; retrying in ${delay} ms`);
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }

  private async startWorker(): Promise<{ connection: NativeConnection; worker: Worker; running: Promise<void> }> {
    const connection = await NativeConnection.connect(this.config.temporalConnection);
    try {
      const worker = await createPaymentWorker({
        connection,
        settings: this.config,
        encryption: encryptionKeysFrom(this.config),
        activities: this.activities,
        tracing: this.tracing,
        role: 'hosted',
      });
      const running = worker.run().then(
        () => this.logger.log('hosted worker stopped'),
        (error: unknown) => this.logger.error(`hosted worker failed: ${error instanceof Error ? error.message : String(error)}`),
      );
      // Whatever ends the worker, starts go back to the lazy client, without eager start.
      void running.finally(() => (this.current = { client: this.lazyClient, eager: false }));
      this.current = { client: new Client({ connection, ...apiClientOptions(this.config) }), eager: true };
      return { connection, worker, running };
    } catch (error) {
      await connection.close();
      throw error;
    }
  }
}
