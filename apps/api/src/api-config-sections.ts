import { deploymentVersionOf, PAYMENT_WORKER_SECTION, paymentWorkerSection, type DeploymentVersion, type PaymentWorkerSection, type TemporalConnectionOptions } from '@app/config';
import type { AttemptActivityKind, CallbackSchedule, FollowUpSchedule, RetrySchedule } from '@app/contracts';
import { encryptionKeysFrom, type EncryptionKeys } from '@app/encryption';
import { OBSERVABILITY_SECTION, observabilitySection, type ObservabilitySection } from '@app/observability';
import { operatorCredentials, type ApiConfig, type Merchant } from './api-config';

/**
 * The validated config (loadApiConfig, which lists every problem at start-up) cut into the sections
 * main.ts and the API's providers read, each bound once under its own token by ConfigSectionsModule
 * (libs/config): a provider injects the section it needs, never the whole bag of variables.
 */

/** Where the two apps listen, how long a slow client may take, and an idle connection stay (main.ts, http-server.ts). */
export const LISTENERS_SECTION = Symbol('LISTENERS_SECTION');
export interface ListenersSection {
  host: string;
  /** PORT: the checkout app. */
  port: number;
  /** OPERATOR_PORT: the operator app. */
  operatorPort: number;
  /** HTTP_HEADERS_TIMEOUT_MS, HTTP_REQUEST_TIMEOUT_MS. */
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  /** HTTP_KEEP_ALIVE_TIMEOUT_MS: how long an idle kept-alive connection stays open. */
  keepAliveTimeoutMs: number;
}

/** The merchants, their clients, tokens, quotas and webhook secrets: who may call, and as whom. */
export const MERCHANTS_SECTION = Symbol('MERCHANTS_SECTION');
export type MerchantsSection = readonly Merchant[];

/** Temporal as the API reaches it: the connection, the task queue, the bound on each call, payload encryption. */
export const TEMPORAL_SECTION = Symbol('TEMPORAL_SECTION');
export interface TemporalSection {
  connection: TemporalConnectionOptions;
  taskQueue: string;
  /** TEMPORAL_RPC_TIMEOUT_MS: past it the key's state counts as unreadable (fail closed). */
  rpcTimeoutMs: number;
  /** The payload codec's keys; null when PAYLOAD_ENCRYPTION_KEYS is unset. */
  encryption: EncryptionKeys | null;
  /** OTEL_EXPORTER_OTLP_ENDPOINT is set: starts carry the request's trace context. */
  traced: boolean;
  /** The Worker Deployment version this API's build declares; null when WORKER_BUILD_ID is unset (unversioned). */
  deploymentVersion: DeploymentVersion | null;
  /** API_HOSTS_WORKER: the API hosts a payment worker, and starts runs on it eagerly. */
  hostsWorker: boolean;
}

/** How the runs this API starts behave, as PaymentRuns builds their input and waits on them. */
export const RUNS_SECTION = Symbol('RUNS_SECTION');
export interface RunsSection {
  /** WAIT_FOR_RESULT_MS: how long a request waits before 423. */
  waitForResultMs: number;
  /** UPSTREAM_TIMEOUT_MS: each upstream call's bound, writes and reads alike. */
  upstreamTimeoutMs: number;
  retry: RetrySchedule;
  attemptActivity: AttemptActivityKind;
  /** Null when FOLLOW_UP_ENABLED is off: nothing is followed. */
  followUp: FollowUpSchedule | null;
  /** The schedule of a run's callback, for a client with a callback URL. */
  callback: CallbackSchedule;
  answerMemory: { maxBytes: number; ttlMs: number };
  /** ORDER_OWNERSHIP_TTL_MS: how long an order's ownership record stays open. */
  orderOwnershipTtlMs: number;
}

/** POST /webhooks/mercadopago: how far a notification's signed timestamp may be from now. */
export const WEBHOOKS_SECTION = Symbol('WEBHOOKS_SECTION');
export interface WebhooksSection {
  signatureToleranceMs: number;
}

/** The operator port: the codec server, its sign-in and /metrics. */
export const OPERATOR_SECTION = Symbol('OPERATOR_SECTION');
export interface OperatorSection {
  /** Null when OPERATOR_TOKENS is unset: the codec server is off. */
  credentials: ReturnType<typeof operatorCredentials>;
  metricsToken: string | null;
  allowedOrigins: ReadonlySet<string>;
  sessionTtlMs: number;
  cookieSecure: boolean;
  localNoSignIn: boolean;
}

/** Every section, each its own object; PAYMENT_WORKER_SECTION is what the payment worker's parts read (libs/config), the hosted worker's included. */
export function apiConfigSections(config: ApiConfig) {
  return {
    [LISTENERS_SECTION]: {
      host: config.HOST,
      port: config.PORT,
      operatorPort: config.OPERATOR_PORT,
      headersTimeoutMs: config.HTTP_HEADERS_TIMEOUT_MS,
      requestTimeoutMs: config.HTTP_REQUEST_TIMEOUT_MS,
      keepAliveTimeoutMs: config.HTTP_KEEP_ALIVE_TIMEOUT_MS,
    } satisfies ListenersSection,
    [OBSERVABILITY_SECTION]: observabilitySection(config) satisfies ObservabilitySection,
    [MERCHANTS_SECTION]: config.merchants satisfies MerchantsSection,
    [TEMPORAL_SECTION]: {
      connection: config.temporalConnection,
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      rpcTimeoutMs: config.TEMPORAL_RPC_TIMEOUT_MS,
      encryption: encryptionKeysFrom(config),
      traced: config.OTEL_EXPORTER_OTLP_ENDPOINT !== undefined,
      deploymentVersion: deploymentVersionOf(config),
      hostsWorker: config.API_HOSTS_WORKER,
    } satisfies TemporalSection,
    [RUNS_SECTION]: {
      waitForResultMs: config.WAIT_FOR_RESULT_MS,
      upstreamTimeoutMs: config.UPSTREAM_TIMEOUT_MS,
      retry: { initialIntervalMs: config.UPSTREAM_RETRY_INITIAL_MS, maximumIntervalMs: config.UPSTREAM_RETRY_MAX_INTERVAL_MS, budgetMs: config.UPSTREAM_RETRY_BUDGET_MS },
      attemptActivity: config.UPSTREAM_ATTEMPT_ACTIVITY,
      followUp: config.FOLLOW_UP_ENABLED
        ? {
            pollInitialMs: config.FOLLOW_UP_POLL_INITIAL_MS,
            pollMaxIntervalMs: config.FOLLOW_UP_POLL_MAX_INTERVAL_MS,
            horizonMs: config.FOLLOW_UP_HORIZON_MS,
            minNotifiedReadIntervalMs: config.FOLLOW_UP_MIN_NOTIFIED_READ_INTERVAL_MS,
          }
        : null,
      callback: { horizonMs: config.FOLLOW_UP_HORIZON_MS, maxRetryIntervalMs: config.FOLLOW_UP_POLL_MAX_INTERVAL_MS, timeoutMs: config.UPSTREAM_TIMEOUT_MS },
      answerMemory: { maxBytes: config.ANSWER_MEMORY_MAX_BYTES, ttlMs: config.ANSWER_MEMORY_TTL_MS },
      orderOwnershipTtlMs: config.ORDER_OWNERSHIP_TTL_MS,
    } satisfies RunsSection,
    [WEBHOOKS_SECTION]: { signatureToleranceMs: config.WEBHOOK_SIGNATURE_TOLERANCE_MS } satisfies WebhooksSection,
    [OPERATOR_SECTION]: {
      credentials: operatorCredentials(config),
      metricsToken: config.METRICS_TOKEN ?? null,
      allowedOrigins: config.CODEC_ALLOWED_ORIGINS ?? new Set<string>(),
      sessionTtlMs: config.CODEC_SESSION_TTL_MS,
      cookieSecure: config.CODEC_COOKIE_SECURE,
      localNoSignIn: config.CODEC_LOCAL_NO_SIGN_IN,
    } satisfies OperatorSection,
    [PAYMENT_WORKER_SECTION]: paymentWorkerSection(config) satisfies PaymentWorkerSection,
  };
}

export type ApiConfigSections = ReturnType<typeof apiConfigSections>;
