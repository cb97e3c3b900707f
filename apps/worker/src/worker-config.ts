import { env, hostVariable, loadConfig, temporalVariables } from '@app/config';
import { encryptionVariables } from '@app/encryption';
import { observabilityVariables } from '@app/observability';

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
};

export type WorkerConfig = ReturnType<typeof loadWorkerConfig>;

export function loadWorkerConfig(environment: NodeJS.ProcessEnv = process.env) {
  return loadConfig(workerConfigShape, environment);
}

export const WORKER_CONFIG = Symbol('WORKER_CONFIG');
