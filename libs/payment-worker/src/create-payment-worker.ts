import type { EventEmitter } from 'node:events';
import { existsSync } from 'node:fs';
import { makeWorkflowExporter, OpenTelemetryActivityInboundInterceptor, OpenTelemetryActivityOutboundInterceptor } from '@temporalio/interceptors-opentelemetry';
import { Client } from '@temporalio/client';
import type { coresdk } from '@temporalio/proto';
import type { Logger } from '@temporalio/common';
import { type InjectedSinks, type NativeConnection, Runtime, Worker, type WorkerOptions } from '@temporalio/worker';
import { callbackTaskQueue, searchAttributesProblem, type RunConclusionSinks } from '@app/contracts';
import { payloadCodecs, type EncryptionKeys } from '@app/encryption';
import type { Tracing } from '@app/observability';
import type { PaymentActivitiesService } from './payment-activities.service';
import { workerDeploymentOptions, type MerchantAccount, type PaymentWorkerSection } from '@app/config';
import type { RunConclusions } from './run-conclusions';
import { UpstreamPauseWatch } from './upstream-pause-watch';
import { followUpSinks, type WorkerMetrics } from './worker-metrics';

type EvictionReason = coresdk.workflow_activation.RemoveFromCache.EvictionReason;

/** How long in-flight upstream calls may finish after a shutdown begins before they are cancelled. */
const SHUTDOWN_GRACE_TIME = '5s';
/**
 * The API's hosted worker is drained inside the API's stop, whose every step is bounded to fit
 * the grace period (docs/operations.md, "Stopping the API"): past this, it stops with its tasks
 * unfinished, as if killed (a standalone worker reruns them once their task times out).
 */
const HOSTED_SHUTDOWN_FORCE_TIME = '7s';
/**
 * The hosted worker's workflow task slots. An eager start needs a free one (Core's
 * `try_reserve_wft_slot`), and Core's pollers each hold one while they poll: with the SDK's 40
 * slots and 10 pollers, past 30 first tasks at once a start is no longer eager, so its run goes
 * through matching to any worker and its request waits on Temporal for the result (at 32
 * connections, 18 of 453 runs went to the standalone worker with the default and none of 445 with
 * more slots: BENCHMARKS.md, "New payments at the floor"). A first task holds its slot during its
 * attempt, a local activity: as many slots as local activities may run at once (the SDK's default,
 * 100) plus the pollers' 10, so the slots never refuse an eager start before the attempts queue.
 */
const HOSTED_WORKFLOW_TASK_SLOTS = 110;

export interface PaymentWorkerParts {
  connection: NativeConnection;
  settings: PaymentWorkerSection;
  /** The merchant whose namespace this worker polls, and whose token its attempts send. */
  merchant: MerchantAccount;
  encryption: EncryptionKeys | null;
  activities: PaymentActivitiesService;
  /** Counts what workflows report through sinks (follow-ups' outcomes). */
  metrics: WorkerMetrics;
  tracing: Tracing;
  /**
   * `standalone`: every task of the queue. `hosted` (in the API, for eager starts): workflow tasks
   * and local activities only, so retries, which are activity tasks, stay with standalone workers.
   */
  role: 'standalone' | 'hosted';
  /**
   * Where a hosted worker tells the API's requests how the runs it started eagerly concluded
   * (RunConclusions). Without it, the payment workflows' reports are dropped.
   */
  conclusions?: RunConclusions;
}

/**
 * The SDK's worker, with its evictions heard: the SDK's replay worker learns them from the same
 * emitter, each with Core's reason, which is how RunConclusions knows a completion was accepted.
 */
class PaymentWorker extends Worker {
  onEviction(listener: EvictionListener): void {
    hearEvictions(this.evictionsEmitter, listener, Runtime.instance().logger);
  }
}

/** What a worker's eviction tells: the run, and Core's reason for evicting it. */
export type EvictionListener = (runId: string, reason: EvictionReason | null | undefined) => void;

/**
 * The SDK version whose eviction handling `hearEvictions` was checked against
 * (create-payment-worker.spec.ts fails when package.json names another: an upgrade re-checks it).
 * What it relies on: the worker emits `eviction` with Core's `RemoveFromCache` job while it handles
 * the activation, and Core delivers the first eviction requested for a run, so a failed completion's
 * eviction (requested first) wins over WORKFLOW_EXECUTION_ENDING (sdk-core `worker/workflow/mod.rs`, as bundled with that version).
 */
export const CHECKED_TEMPORAL_WORKER_VERSION = '1.24.0';

/**
 * Calls `listener` on each eviction the emitter reports. The emitter is called inside the SDK's
 * activation handling, so a throw of the listener is logged and never reaches the SDK (it would fail
 * the activation of a run that did nothing wrong).
 */
export function hearEvictions(emitter: EventEmitter, listener: EvictionListener, log: Logger): void {
  emitter.on('eviction', ({ runId, evictJob }: { runId: string; evictJob: { reason?: EvictionReason | null } }) => {
    try {
      listener(runId, evictJob.reason);
    } catch (error) {
      log.error('an eviction listener failed', { runId, error: error instanceof Error ? error.message : String(error) });
    }
  });
}

/** The payment workflows report how their runs conclude (RunConclusionSinks) to every worker; only hosted ones listen. */
export const IGNORED_RUN_CONCLUSIONS: InjectedSinks<RunConclusionSinks> = {
  runConclusions: { returned: { fn: () => undefined, callDuringReplay: false }, leftProcess: { fn: () => undefined, callDuringReplay: false } },
};

/**
 * A worker for one merchant's payment task queue, the same wherever it runs (the standalone worker, or the
 * API's for eager starts). Refuses a namespace without the project's search attributes: a run
 * upserts its outcome when it ends, and with an attribute missing that task would fail and be
 * retried forever, leaving a charged payment's run open.
 */
export async function createPaymentWorker({ connection, settings, merchant, encryption, activities, metrics, tracing, role, conclusions }: PaymentWorkerParts): Promise<Worker> {
  // The traced bundle has OpenTelemetry's workflow interceptors built in; without an exporter
  // they would only cost CPU in every workflow task.
  const bundlePath = tracing.enabled ? tracedBundlePath(settings.WORKFLOW_BUNDLE_PATH) : settings.WORKFLOW_BUNDLE_PATH;
  if (!existsSync(bundlePath)) throw new Error(`No workflow bundle at ${bundlePath}: run \`npm run build\` first, or set WORKFLOW_BUNDLE_PATH.`);
  const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace: merchant.namespace });
  const problem = searchAttributesProblem(merchant.namespace, customAttributes);
  if (problem !== null) throw new Error(problem);
  const dataConverter = { payloadCodecs: payloadCodecs(encryption) };
  // Known before the first attempt, then kept while the worker lives (docs/operations.md, "Pausing a merchant's upstream attempts").
  const pause = new UpstreamPauseWatch(new Client({ connection, namespace: merchant.namespace, dataConverter }), settings.TEMPORAL_TASK_QUEUE, merchant.name, metrics);
  await pause.refresh();
  const worker = await PaymentWorker.create({
    connection,
    namespace: merchant.namespace,
    taskQueue: settings.TEMPORAL_TASK_QUEUE,
    workflowBundle: { codePath: bundlePath },
    activities: activities.forMerchant(merchant, pause),
    enableNonLocalActivities: role === 'standalone',
    dataConverter,
    shutdownGraceTime: SHUTDOWN_GRACE_TIME,
    ...(role === 'hosted' ? { shutdownForceTime: HOSTED_SHUTDOWN_FORCE_TIME, maxConcurrentWorkflowTaskExecutions: HOSTED_WORKFLOW_TASK_SLOTS } : {}),
    ...(tracing.enabled ? tracingOptions() : {}),
    sinks: { ...workflowSinks(metrics, tracing), ...(conclusions?.sinks() ?? IGNORED_RUN_CONCLUSIONS) },
    // The tuning options issue 7's experiments measured (git log -- BENCHMARKS.md); those left unset keep the SDK's defaults.
    stickyQueueScheduleToStartTimeout: settings.WORKER_STICKY_QUEUE_TIMEOUT_MS,
    ...(settings.WORKER_WORKFLOW_TASK_POLLERS === undefined ? {} : { maxConcurrentWorkflowTaskPolls: settings.WORKER_WORKFLOW_TASK_POLLERS }),
    ...(settings.WORKER_ACTIVITY_TASK_POLLERS === undefined ? {} : { maxConcurrentActivityTaskPolls: settings.WORKER_ACTIVITY_TASK_POLLERS }),
    ...(settings.WORKER_MAX_CACHED_WORKFLOWS === undefined ? {} : { maxCachedWorkflows: settings.WORKER_MAX_CACHED_WORKFLOWS }),
    ...deploymentOptions(settings),
  });
  if (!(worker instanceof PaymentWorker)) throw new Error('Worker.create built no PaymentWorker');
  if (conclusions !== undefined) worker.onEviction((runId, reason) => conclusions.evicted(runId, reason));
  void pause.watch(() => !['STOPPING', 'DRAINING', 'DRAINED', 'STOPPED', 'FAILED'].includes(worker.getState()));
  return worker;
}

/** The hosted worker declares the API's build, like the standalone worker does its own: both are workers of that version. */
function deploymentOptions(settings: PaymentWorkerSection): Pick<WorkerOptions, 'workerDeploymentOptions'> {
  const options = workerDeploymentOptions(settings);
  return options === undefined ? {} : { workerDeploymentOptions: options };
}

/**
 * The merchant's callback worker, on `<TEMPORAL_TASK_QUEUE>-callbacks`: the clients' callbacks
 * workflows and their deliveries, and the delivery attempts of follow-ups recorded before they
 * handed their event over (and of legacy per-run callback workflows), in slots of their own
 * (CALLBACK_MAX_CONCURRENT_CLIENTS of each kind), so a receiver that never answers holds none a
 * payment waits for (docs/architecture.md, "Callbacks apart from payments"). Only the standalone
 * worker runs one: a delivery is never eager.
 */
export function createCallbackWorker({ connection, settings, merchant, encryption, activities, metrics, tracing }: Omit<PaymentWorkerParts, 'role'>): Promise<Worker> {
  const bundlePath = tracing.enabled ? tracedBundlePath(settings.WORKFLOW_BUNDLE_PATH) : settings.WORKFLOW_BUNDLE_PATH;
  return Worker.create({
    connection,
    namespace: merchant.namespace,
    taskQueue: callbackTaskQueue(settings.TEMPORAL_TASK_QUEUE),
    workflowBundle: { codePath: bundlePath },
    activities: activities.callbacksFor(merchant),
    // The callbacks workflows' batches are local activities; an older follow-up's attempts
    // (deliverCallback, retried by Temporal) are activity tasks of this queue. Two pools of slots,
    // the same size, so neither kind waits for the other's hanging receivers.
    maxConcurrentLocalActivityExecutions: settings.CALLBACK_MAX_CONCURRENT_CLIENTS,
    maxConcurrentActivityTaskExecutions: settings.CALLBACK_MAX_CONCURRENT_CLIENTS,
    dataConverter: { payloadCodecs: payloadCodecs(encryption) },
    shutdownGraceTime: SHUTDOWN_GRACE_TIME,
    ...(tracing.enabled ? tracingOptions() : {}),
    sinks: workflowSinks(metrics, tracing),
  });
}

/** Activity spans continue the workflow's trace. */
function tracingOptions(): Pick<WorkerOptions, 'interceptors'> {
  return {
    interceptors: {
      activity: [
        (context) => ({
          inbound: new OpenTelemetryActivityInboundInterceptor(context),
          outbound: new OpenTelemetryActivityOutboundInterceptor(context),
        }),
      ],
    },
  };
}

/**
 * Ways out of the workflow sandbox: follow-ups report their outcome for the metrics and, with tracing
 * on, the workflow's own spans (made by the interceptors built into the traced bundle) leave through
 * the `exporter` sink.
 */
function workflowSinks(metrics: WorkerMetrics, tracing: Tracing): WorkerOptions['sinks'] {
  return { ...followUpSinks(metrics), ...(tracing.enabled ? { exporter: makeWorkflowExporter(tracing.spanProcessor, tracing.resource) } : {}) };
}

/** The build writes the traced bundle beside the plain one: `workflow-bundle.js` → `workflow-bundle.traced.js`. */
export function tracedBundlePath(bundlePath: string): string {
  return bundlePath.replace(/(\.js)?$/, '.traced.js');
}
