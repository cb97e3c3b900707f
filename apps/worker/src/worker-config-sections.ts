import { PAYMENT_WORKER_SECTION, paymentWorkerSection, type MerchantAccount, type PaymentWorkerSection, type TemporalConnectionOptions } from '@app/config';
import { encryptionKeysFrom, type EncryptionKeys } from '@app/encryption';
import { OBSERVABILITY_SECTION, observabilitySection, type ObservabilitySection } from '@app/observability';
import type { WorkerConfig } from './worker-config';

/**
 * The validated config (loadWorkerConfig, which lists every problem at start-up) cut into the
 * sections main.ts and the worker's providers read, as the API's are (apps/api/src/api-config-sections.ts),
 * each bound once under its own token by ConfigSectionsModule (libs/config).
 */

/** The merchants this worker serves: one Temporal worker per merchant's namespace. */
export const MERCHANTS_SECTION = Symbol('MERCHANTS_SECTION');
export type MerchantsSection = readonly MerchantAccount[];

/** Temporal as the worker reaches it: the connection and payload encryption. */
export const TEMPORAL_SECTION = Symbol('TEMPORAL_SECTION');
export interface TemporalSection {
  connection: TemporalConnectionOptions;
  /** The payload codec's keys; null when PAYLOAD_ENCRYPTION_KEYS is unset. */
  encryption: EncryptionKeys | null;
}

/** Where the worker serves /health/live, /health/ready and /metrics. */
export const HEALTH_SECTION = Symbol('HEALTH_SECTION');
export interface HealthSection {
  host: string;
  /** WORKER_HEALTH_PORT; 0 serves no HTTP. */
  port: number;
}

export function workerConfigSections(config: WorkerConfig) {
  return {
    [MERCHANTS_SECTION]: config.merchants satisfies MerchantsSection,
    [TEMPORAL_SECTION]: { connection: config.temporalConnection, encryption: encryptionKeysFrom(config) } satisfies TemporalSection,
    [HEALTH_SECTION]: { host: config.HOST, port: config.WORKER_HEALTH_PORT } satisfies HealthSection,
    [OBSERVABILITY_SECTION]: observabilitySection(config) satisfies ObservabilitySection,
    [PAYMENT_WORKER_SECTION]: paymentWorkerSection(config) satisfies PaymentWorkerSection,
  };
}

export type WorkerConfigSections = ReturnType<typeof workerConfigSections>;
