import type { WorkerDeploymentOptions } from '@temporalio/worker';
import { z } from 'zod';
// Relative, not @app/encryption: scripts (and the tests' global set-up) load this library without the tsconfig aliases.
import { encryptionVariables } from '../../encryption/src/encryption-keys';
import { ConfigError, gatherProblems } from './load-config';
import { loadListedMerchants, merchantPrefix, merchantVariables, requireDistinct } from './merchants';
import { temporalVariables } from './temporal-connection';
import { env } from './variables';
import { callbackVariables, clientCallbacks, isLoopback, requireOwnCallbackSecrets, type CallbackSettings, type ClientCallbacks } from './callback-config';

const STICKY_QUEUE_TIMEOUT_MS = 2_000;
/** Temporal (v1.32) bounds each of a version's two parts to about half its 1000-character ID limit; this leaves room. */
const MAX_DEPLOYMENT_FIELD_LENGTH = 255;
/** Above the bench's largest concurrency (128), so only a burst past what any measured load uses waits. */
const DEFAULT_UPSTREAM_CONCURRENCY_PER_MERCHANT = 256;
const CALLBACK_MAX_CONCURRENT_CLIENTS = 16;
const CALLBACK_MAX_CONCURRENT_PER_CLIENT = 4;
/** A receiver acknowledges an event before handling it (docs/api.md, "Callbacks"): 5 s is plenty. */
const CALLBACK_ATTEMPT_TIMEOUT_MS = 5_000;
/**
 * Room for the hand-overs that meet at the bench's busiest (about 1.6 events a signal on average
 * at eight connections, more in bursts). Only runs at steps revision 2 share signals, and those start once every worker
 * handles the several-event signal (docs/operations.md, "Rolling out a new build"); 1 turns it off.
 */
const CALLBACK_HAND_OVERS_PER_SIGNAL = 16;
/** Beyond the bench's busiest client (about 25 events a workflow task at eight connections); a signal's size is also capped in bytes. */
const CALLBACK_HAND_OVERS_PER_SIGNAL_MAX = 64;

/**
 * What every process that hosts a payment worker reads: the standalone worker, and the API when it
 * hosts one for eager starts. One declaration, so both read each variable the same way.
 */
export const paymentWorkerVariables = {
  ...temporalVariables,
  ...merchantVariables,
  ...encryptionVariables,
  ...callbackVariables,
  UPSTREAM_BASE_URL: env.url('http://127.0.0.1:4010'),
  /** The merchant's token: read by activities (and the API's reads) only, so it never enters workflow history. */
  UPSTREAM_ACCESS_TOKEN: env.requiredText(),
  /**
   * Upstream calls (writes and reads) this process has in flight at once with one merchant's
   * token; past it a call is not sent and fails retryably (MerchantCallSlots, docs/operations.md).
   */
  UPSTREAM_CONCURRENCY_PER_MERCHANT: env.count(DEFAULT_UPSTREAM_CONCURRENCY_PER_MERCHANT),
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
  /**
   * The Worker Deployment this process's workers belong to (docs/operations.md, "Rolling out a new
   * build"): one name for every build of the orchestrator. Temporal refuses `.` and `:` in it
   * (they separate it from the build ID in version strings) and a leading `__` (its own names).
   */
  WORKER_DEPLOYMENT_NAME: z
    .string()
    .max(MAX_DEPLOYMENT_FIELD_LENGTH)
    .regex(/^(?!__)[^.:\s]+$/, "must not contain '.', ':' or spaces, nor start with '__' (Temporal's rules for a deployment name)")
    .default('payment-orchestrator'),
  /**
   * This build's ID (a release tag or commit). Set, the workers poll as version
   * WORKER_DEPLOYMENT_NAME:WORKER_BUILD_ID and take only the runs Temporal routes to it, and the API
   * starts runs only while its build is one the deployment has made current (docs/operations.md).
   * Unset, workers are unversioned: one build at a time, as before issue 23.
   */
  WORKER_BUILD_ID: z
    .string()
    .max(MAX_DEPLOYMENT_FIELD_LENGTH)
    .regex(/^(?!__)\S+$/, "must not contain spaces, nor start with '__' (Temporal's rule for a build ID)")
    .optional(),
  /**
   * The callback worker (its own task queue, `<TEMPORAL_TASK_QUEUE>-callbacks`): clients whose
   * events it sends at once (one local-activity slot each), at most this many events of one client at
   * once, and one POST's longest wait, so one client's receiver that never answers holds one slot
   * of it and nothing of payment work (docs/architecture.md, "Callbacks apart from payments").
   */
  CALLBACK_MAX_CONCURRENT_CLIENTS: env.count(CALLBACK_MAX_CONCURRENT_CLIENTS),
  CALLBACK_MAX_CONCURRENT_PER_CLIENT: env.count(CALLBACK_MAX_CONCURRENT_PER_CLIENT),
  CALLBACK_ATTEMPT_TIMEOUT_MS: env.milliseconds(CALLBACK_ATTEMPT_TIMEOUT_MS),
  /**
   * The most events one hand-over signal carries: above 1, the hand-overs a worker makes to one
   * callbacks workflow while its signal there is in flight wait for it and go together
   * (docs/architecture.md, "Callbacks apart from payments").
   */
  CALLBACK_HAND_OVERS_PER_SIGNAL: z.coerce.number().int().min(1).max(CALLBACK_HAND_OVERS_PER_SIGNAL_MAX).default(CALLBACK_HAND_OVERS_PER_SIGNAL),
};

/**
 * What a deployment (NODE_ENV=production) must set for a payment worker, and why (SECURITY.md,
 * "Temporal access"). Both the API and the worker pass these to loadConfig.
 */
export const paymentWorkerProductionRequirements = {
  PAYLOAD_ENCRYPTION_KEYS:
    'without payload encryption, anyone who can start a workflow in the namespace can make the worker send a validly signed callback event to any client (SECURITY.md); key_id:base64 pairs of 32 random bytes (openssl rand -base64 32)',
  UPSTREAM_BASE_URL: "Mercado Pago's address, https://api.mercadopago.com (the default is the local simulator)",
} as const;

/**
 * What each merchant has of its own: a Temporal namespace, where its idempotency keys are the
 * workflow IDs (so keys, runs, search and retention are the merchant's alone), its Mercado Pago
 * access token and its clients' callbacks. The unprefixed variables are the first merchant's; a
 * merchant MERCHANTS lists sets them prefixed (MERCHANT_ACME_TEMPORAL_NAMESPACE), with no default
 * namespace to share.
 */
export const merchantAccountVariables = {
  TEMPORAL_NAMESPACE: env.requiredText(),
  UPSTREAM_ACCESS_TOKEN: env.requiredText(),
  ...callbackVariables,
};

/**
 * A merchant as payment workers serve it: runs in `namespace` call the upstream with
 * `upstreamAccessToken`, and tell their clients through `callbacks`.
 */
export interface MerchantAccount {
  name: string;
  namespace: string;
  upstreamAccessToken: string;
  callbacks: ClientCallbacks;
}

/** A merchant's account variables, the first merchant's or a listed one's. */
type AccountSettings = { TEMPORAL_NAMESPACE: string; UPSTREAM_ACCESS_TOKEN: string } & CallbackSettings;

/**
 * Every merchant a payment worker serves: the first, then those MERCHANTS lists; no two share a
 * namespace, and no two clients a callback secret. With NODE_ENV=production, the upstream they
 * all call is reached over HTTPS unless it is on this host: the requests carry the merchant's
 * access token and the payer's data. Every problem is listed at once.
 */
export function loadMerchantAccounts(config: PaymentWorkerSettings, environment: NodeJS.ProcessEnv): MerchantAccount[] {
  const production = environment.NODE_ENV === 'production';
  const problems: string[] = [];
  const upstream = new URL(config.UPSTREAM_BASE_URL);
  if (production && upstream.protocol === 'http:' && !isLoopback(upstream)) {
    problems.push('UPSTREAM_BASE_URL is invalid: plain http to another host, which NODE_ENV=production refuses; use https (https://api.mercadopago.com)');
  }
  const listed = gatherProblems(problems, () => loadListedMerchants(merchantAccountVariables, config.MERCHANT_NAME, config.MERCHANTS ?? [], environment)) ?? [];
  const accounts = [
    gatherProblems(problems, () => merchantAccount(config.MERCHANT_NAME, config, '', production)),
    ...listed.map(({ name, settings }) => gatherProblems(problems, () => merchantAccount(name, settings, merchantPrefix(name), production))),
  ];
  if (problems.length > 0) throw new ConfigError(problems);
  const loaded = accounts.filter((account) => account !== undefined);
  requireDistinct(
    'the Temporal namespace',
    loaded.map(({ name, namespace }) => ({ merchant: name, values: [namespace] })),
  );
  requireOwnCallbackSecrets(loaded.map(({ callbacks }) => callbacks));
  return loaded;
}

/** One merchant's account from its variables; `prefix` names them in problems. */
function merchantAccount(name: string, settings: AccountSettings, prefix: string, production: boolean): MerchantAccount {
  return {
    name,
    namespace: settings.TEMPORAL_NAMESPACE,
    upstreamAccessToken: settings.UPSTREAM_ACCESS_TOKEN,
    callbacks: clientCallbacks(settings, prefix, production),
  };
}

/** The settings a payment worker needs, as both apps' validated configs provide them. */
export interface PaymentWorkerSettings extends CallbackSettings {
  MERCHANT_NAME: string;
  MERCHANTS?: string[] | undefined;
  TEMPORAL_NAMESPACE: string;
  TEMPORAL_TASK_QUEUE: string;
  UPSTREAM_BASE_URL: string;
  UPSTREAM_ACCESS_TOKEN: string;
  UPSTREAM_CONCURRENCY_PER_MERCHANT: number;
  WORKFLOW_BUNDLE_PATH: string;
  WORKER_STICKY_QUEUE_TIMEOUT_MS: number;
  WORKER_WORKFLOW_TASK_POLLERS?: number | undefined;
  WORKER_ACTIVITY_TASK_POLLERS?: number | undefined;
  WORKER_MAX_CACHED_WORKFLOWS?: number | undefined;
  WORKER_DEPLOYMENT_NAME: string;
  WORKER_BUILD_ID?: string | undefined;
  CALLBACK_MAX_CONCURRENT_CLIENTS: number;
  CALLBACK_MAX_CONCURRENT_PER_CLIENT: number;
  CALLBACK_ATTEMPT_TIMEOUT_MS: number;
  CALLBACK_HAND_OVERS_PER_SIGNAL: number;
}

/** A Worker Deployment version: the deployment's name and this build's ID. */
export interface DeploymentVersion {
  deploymentName: string;
  buildId: string;
}

/** The Worker Deployment version this process declares, or null when WORKER_BUILD_ID is unset (unversioned). */
export function deploymentVersionOf(settings: Pick<PaymentWorkerSettings, 'WORKER_DEPLOYMENT_NAME' | 'WORKER_BUILD_ID'>): DeploymentVersion | null {
  return settings.WORKER_BUILD_ID === undefined ? null : { deploymentName: settings.WORKER_DEPLOYMENT_NAME, buildId: settings.WORKER_BUILD_ID };
}

/**
 * Worker versioning (Temporal's Worker Deployments, on by default in server v1.32): a versioned
 * worker takes only the tasks of runs Temporal routes to its version. Runs that declare no
 * behaviour of their own upgrade to the current version at their next workflow task, replaying
 * their history on the new build (which `patched()` keeps deterministic); payment runs pin
 * themselves to the build that started them (payment-write.workflow.ts).
 */
export function workerDeploymentOptions(settings: Pick<PaymentWorkerSettings, 'WORKER_DEPLOYMENT_NAME' | 'WORKER_BUILD_ID'>): WorkerDeploymentOptions | undefined {
  const version = deploymentVersionOf(settings);
  return version === null ? undefined : { useWorkerVersioning: true, version, defaultVersioningBehavior: 'AUTO_UPGRADE' };
}

/** Nest token of the PaymentWorkerSection, bound by every app that hosts a payment worker. */
export const PAYMENT_WORKER_SECTION = Symbol('PAYMENT_WORKER_SECTION');

/**
 * What a payment worker's parts read once its merchants are loaded (libs/payment-worker: the
 * worker's options, its bundle, its upstream client), the same section in the API (its hosted
 * worker and order reads) and in the standalone worker.
 */
export type PaymentWorkerSection = Pick<
  PaymentWorkerSettings,
  | 'TEMPORAL_TASK_QUEUE'
  | 'UPSTREAM_BASE_URL'
  | 'UPSTREAM_CONCURRENCY_PER_MERCHANT'
  | 'WORKFLOW_BUNDLE_PATH'
  | 'WORKER_STICKY_QUEUE_TIMEOUT_MS'
  | 'WORKER_WORKFLOW_TASK_POLLERS'
  | 'WORKER_ACTIVITY_TASK_POLLERS'
  | 'WORKER_MAX_CACHED_WORKFLOWS'
  | 'WORKER_DEPLOYMENT_NAME'
  | 'WORKER_BUILD_ID'
  | 'CALLBACK_MAX_CONCURRENT_CLIENTS'
  | 'CALLBACK_MAX_CONCURRENT_PER_CLIENT'
  | 'CALLBACK_ATTEMPT_TIMEOUT_MS'
  | 'CALLBACK_HAND_OVERS_PER_SIGNAL'
>;

export function paymentWorkerSection(config: PaymentWorkerSettings): PaymentWorkerSection {
  return {
    TEMPORAL_TASK_QUEUE: config.TEMPORAL_TASK_QUEUE,
    UPSTREAM_BASE_URL: config.UPSTREAM_BASE_URL,
    UPSTREAM_CONCURRENCY_PER_MERCHANT: config.UPSTREAM_CONCURRENCY_PER_MERCHANT,
    WORKFLOW_BUNDLE_PATH: config.WORKFLOW_BUNDLE_PATH,
    WORKER_STICKY_QUEUE_TIMEOUT_MS: config.WORKER_STICKY_QUEUE_TIMEOUT_MS,
    WORKER_WORKFLOW_TASK_POLLERS: config.WORKER_WORKFLOW_TASK_POLLERS,
    WORKER_ACTIVITY_TASK_POLLERS: config.WORKER_ACTIVITY_TASK_POLLERS,
    WORKER_MAX_CACHED_WORKFLOWS: config.WORKER_MAX_CACHED_WORKFLOWS,
    WORKER_DEPLOYMENT_NAME: config.WORKER_DEPLOYMENT_NAME,
    WORKER_BUILD_ID: config.WORKER_BUILD_ID,
    CALLBACK_MAX_CONCURRENT_CLIENTS: config.CALLBACK_MAX_CONCURRENT_CLIENTS,
    CALLBACK_MAX_CONCURRENT_PER_CLIENT: config.CALLBACK_MAX_CONCURRENT_PER_CLIENT,
    CALLBACK_ATTEMPT_TIMEOUT_MS: config.CALLBACK_ATTEMPT_TIMEOUT_MS,
    CALLBACK_HAND_OVERS_PER_SIGNAL: config.CALLBACK_HAND_OVERS_PER_SIGNAL,
  };
}
