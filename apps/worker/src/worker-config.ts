import { env, hostVariable, loadConfig, temporalVariables } from '@app/config';
import { encryptionVariables } from '@app/encryption';
import { observabilityVariables } from '@app/observability';

const STICKY_QUEUE_TIMEOUT_MS = 2_000;

export const workerConfigShape = {
  ...hostVariable,
  ...temporalVariables,
  ...encryptionVariables,
  ...observabilityVariables,
  /** Port of the worker's /health/live, /health/ready and /metrics; 0 (the default) serves no HTTP. */
  WORKER_HEALTH_PORT: env.port(0),
  UPSTREAM_BASE_URL: env.url('http://127.0.0.1:4010'),
  /** The merchant's token: read by activities only, so it never enters workflow history. */
  UPSTREAM_ACCESS_TOKEN: env.requiredText(),
  /** The workflow bundle that `npm run build` writes; workers load it instead of bundling at start-up. */
  WORKFLOW_BUNDLE_PATH: env.text('dist/workflow-bundle.js'),
  /**
   * How long a run's next workflow task waits for this worker on its sticky queue before any
   * worker may take it: after a worker crash, its runs stall this long. The SDK's 10 s default
   * only delays failover; 2 s cost nothing measurable up to 32 concurrent payments (BENCHMARKS.md).
   */
  WORKER_STICKY_QUEUE_TIMEOUT_MS: env.milliseconds(STICKY_QUEUE_TIMEOUT_MS),
  /** Concurrent long polls for workflow tasks; unset keeps the SDK's default (BENCHMARKS.md). */
  WORKER_WORKFLOW_TASK_POLLERS: env.optionalCount(),
  /** Concurrent long polls for activity tasks; unset keeps the SDK's default. */
  WORKER_ACTIVITY_TASK_POLLERS: env.optionalCount(),
  /** Runs kept in memory between their workflow tasks; unset keeps the SDK's default (by heap size). */
  WORKER_MAX_CACHED_WORKFLOWS: env.optionalCount(),
};

export type WorkerConfig = ReturnType<typeof loadWorkerConfig>;

export function loadWorkerConfig(environment: NodeJS.ProcessEnv = process.env) {
  return loadConfig(workerConfigShape, environment);
}

export const WORKER_CONFIG = Symbol('WORKER_CONFIG');
