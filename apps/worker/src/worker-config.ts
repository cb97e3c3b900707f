import { env, hostVariable, loadConfig, loadMerchantAccounts, paymentWorkerProductionRequirements, paymentWorkerVariables, temporalConnectionOptions } from '@app/config';
import { observabilityVariables } from '@app/observability';

export const workerConfigShape = {
  ...hostVariable,
  ...paymentWorkerVariables,
  ...observabilityVariables,
  /** Port of the worker's /health/live, /health/ready and /metrics; 0 (the default) serves no HTTP. */
  WORKER_HEALTH_PORT: env.port(0),
};

export type WorkerConfig = ReturnType<typeof loadWorkerConfig>;

/** The worker's settings, and every merchant it serves (one Temporal worker per merchant's namespace). */
export function loadWorkerConfig(environment: NodeJS.ProcessEnv = process.env) {
  const config = loadConfig(workerConfigShape, environment, paymentWorkerProductionRequirements);
  return { ...config, merchants: loadMerchantAccounts(config, environment), temporalConnection: temporalConnectionOptions(config) };
}
