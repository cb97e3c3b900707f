import { env, loadListedMerchants, merchantVariables, requireDistinct, temporalVariables } from '@app/config';
import { encryptionVariables } from '@app/encryption';

const STICKY_QUEUE_TIMEOUT_MS = 2_000;

/**
 * What every process that hosts a payment worker reads: the standalone worker, and the API when it
 * hosts one for eager starts. One declaration, so both read each variable the same way.
 */
export const paymentWorkerVariables = {
  ...temporalVariables,
  ...merchantVariables,
  ...encryptionVariables,
  UPSTREAM_BASE_URL: env.url('http://127.0.0.1:4010'),
  /** The merchant's token: read by activities (and the API's reads) only, so it never enters workflow history. */
  UPSTREAM_ACCESS_TOKEN: env.requiredText(),
  /**
   * The workflow bundle that `npm run build` writes; workers load it instead of bundling at
   * start-up. With tracing on (OTEL_EXPORTER_OTLP_ENDPOINT), the `.traced.js` one beside it.
   */
  WORKFLOW_BUNDLE_PATH: env.text('dist/workflow-bundle.js'),
  /**
   * How long a run's next workflow task waits for this worker on its sticky queue before any
   * worker may take it: after a worker crash, its runs stall this long. The SDK's 10 s default
   * only delays failover; 2 s cost nothing measurable up to 32 concurrent payments (issue 7's
   * experiments: git log -- BENCHMARKS.md).
   */
  WORKER_STICKY_QUEUE_TIMEOUT_MS: env.milliseconds(STICKY_QUEUE_TIMEOUT_MS),
  /** Concurrent long polls for workflow tasks; unset keeps the SDK's default (other values gained nothing in issue 7's experiments). */
  WORKER_WORKFLOW_TASK_POLLERS: env.optionalCount(),
  /** Concurrent long polls for activity tasks; unset keeps the SDK's default. */
  WORKER_ACTIVITY_TASK_POLLERS: env.optionalCount(),
  /** Runs kept in memory between their workflow tasks; unset keeps the SDK's default (by heap size). */
  WORKER_MAX_CACHED_WORKFLOWS: env.optionalCount(),
};

/**
 * What each merchant has of its own: a Temporal namespace, where its idempotency keys are the
 * workflow IDs (so keys, runs, search and retention are the merchant's alone), and its Mercado
 * Pago access token. The unprefixed variables are the first merchant's; a merchant MERCHANTS lists
 * sets them prefixed (MERCHANT_ACME_TEMPORAL_NAMESPACE), with no default namespace to share.
 */
export const merchantAccountVariables = {
  TEMPORAL_NAMESPACE: env.requiredText(),
  UPSTREAM_ACCESS_TOKEN: env.requiredText(),
};

/** A merchant as payment workers serve it: runs in `namespace` call the upstream with `upstreamAccessToken`. */
export interface MerchantAccount {
  name: string;
  namespace: string;
  upstreamAccessToken: string;
}

/** The merchant of the unprefixed variables, as an app's validated config holds it. */
export function firstMerchantAccount(config: Pick<PaymentWorkerSettings, 'MERCHANT_NAME' | 'TEMPORAL_NAMESPACE' | 'UPSTREAM_ACCESS_TOKEN'>): MerchantAccount {
  return { name: config.MERCHANT_NAME, namespace: config.TEMPORAL_NAMESPACE, upstreamAccessToken: config.UPSTREAM_ACCESS_TOKEN };
}

/** Every merchant a payment worker serves: the first, then those MERCHANTS lists; no two share a namespace. */
export function loadMerchantAccounts(config: PaymentWorkerSettings, environment: NodeJS.ProcessEnv): MerchantAccount[] {
  const listed = loadListedMerchants(merchantAccountVariables, config.MERCHANT_NAME, config.MERCHANTS ?? [], environment);
  const accounts = [
    firstMerchantAccount(config),
    ...listed.map(({ name, settings }) => ({ name, namespace: settings.TEMPORAL_NAMESPACE, upstreamAccessToken: settings.UPSTREAM_ACCESS_TOKEN })),
  ];
  requireDistinct(
    'the Temporal namespace',
    accounts.map(({ name, namespace }) => ({ merchant: name, values: [namespace] })),
  );
  return accounts;
}

/** The settings a payment worker needs, as both apps' validated configs provide them. */
export interface PaymentWorkerSettings {
  MERCHANT_NAME: string;
  MERCHANTS?: string[] | undefined;
  TEMPORAL_NAMESPACE: string;
  TEMPORAL_TASK_QUEUE: string;
  UPSTREAM_BASE_URL: string;
  UPSTREAM_ACCESS_TOKEN: string;
  WORKFLOW_BUNDLE_PATH: string;
  WORKER_STICKY_QUEUE_TIMEOUT_MS: number;
  WORKER_WORKFLOW_TASK_POLLERS?: number | undefined;
  WORKER_ACTIVITY_TASK_POLLERS?: number | undefined;
  WORKER_MAX_CACHED_WORKFLOWS?: number | undefined;
}

/** Nest token of the PaymentWorkerSettings (each app provides its own config under it). */
export const PAYMENT_WORKER_SETTINGS = Symbol('PAYMENT_WORKER_SETTINGS');
