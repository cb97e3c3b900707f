import { join } from 'node:path';
import type { EncryptionKeys } from '../../../libs/encryption/src';
import { merchantPrefix } from '../../../libs/config/src/merchants';
import { repoRoot } from '../paths';
import { httpUrl } from './stack-addresses';

/** Private stacks listen on loopback only. */
export const LOOPBACK = '127.0.0.1';

/**
 * A merchant as the orchestrator serves it: its Mercado Pago access token (which the simulator
 * accepts), the Temporal namespace its runs live in, and the checkout clients that pay through it.
 */
export interface Merchant {
  name: string;
  upstreamToken: string;
  namespace: string;
  /** Checkout clients by id: the Bearer token each one sends. */
  clientTokens: Readonly<Record<string, string>>;
  /** Clients trusted with every order of the merchant. */
  trustedClients?: readonly string[];
  /** The secret its Mercado Pago notifications are signed with; none receives no notifications. */
  webhookSecret?: string;
}

/** A stack that the bench, a drill or a test starts for itself: what it chose, nothing derived. */
export interface PrivateStack {
  /** 0 for the operator or worker-health port: not served (an ephemeral operator port, no worker HTTP). */
  ports: { api: number; operator: number; simulator: number; workerHealth: number };
  temporalAddress: string;
  taskQueue: string;
  /** The first configures the unprefixed variables; the others are listed in MERCHANTS. */
  merchants: readonly [Merchant, ...Merchant[]];
  /** The payload keys (on in every deployment); null leaves payloads in plain text. */
  encryption: EncryptionKeys | null;
  /** The codec server's operators and session secret; null turns the codec server off. */
  operators: { tokens: Readonly<Record<string, string>>; sessionSecret: string } | null;
  /** Any other app variables of this stack, as they are (timeouts, retry schedule, simulator latency …). */
  settings: Readonly<Record<string, string>>;
}

/**
 * The one environment every app of a private stack starts with (each app reads only its own
 * variables): the only place where a private stack's choices become app variables. Only PATH comes
 * from the launcher's environment, so a developer's shell cannot change what is measured or tested.
 */
export function privateEnvironment(stack: PrivateStack): NodeJS.ProcessEnv {
  const { ports, merchants, encryption, operators } = stack;
  const [first, ...others] = merchants;
  return {
    PATH: process.env.PATH,
    HOST: LOOPBACK,
    PORT: String(ports.api),
    OPERATOR_PORT: String(ports.operator),
    SIMULATOR_PORT: String(ports.simulator),
    WORKER_HEALTH_PORT: String(ports.workerHealth),
    TEMPORAL_ADDRESS: stack.temporalAddress,
    TEMPORAL_TASK_QUEUE: stack.taskQueue,
    UPSTREAM_BASE_URL: httpUrl(LOOPBACK, ports.simulator),
    // Each merchant is an account of its own in the simulator, as in Mercado Pago.
    SIMULATOR_ACCESS_TOKENS: merchants.map((merchant) => merchant.upstreamToken).join(','),
    MERCHANT_NAME: first.name,
    ...merchantVariables(first, ''),
    ...(others.length === 0 ? {} : { MERCHANTS: others.map((merchant) => merchant.name).join(',') }),
    ...Object.fromEntries(others.flatMap((merchant) => Object.entries(merchantVariables(merchant, merchantPrefix(merchant.name))))),
    // The worker's, and the API's for the worker it hosts; absolute, as the apps run away from the repository.
    WORKFLOW_BUNDLE_PATH: join(repoRoot, 'dist/workflow-bundle.js'),
    ...(encryption === null ? {} : { PAYLOAD_ENCRYPTION_KEYS: encryptionKeysVariable(encryption), PAYLOAD_ENCRYPTION_KEY_ID: encryption.activeKeyId }),
    ...(operators === null ? {} : { OPERATOR_TOKENS: namedTokens(operators.tokens), CODEC_SESSION_SECRET: operators.sessionSecret }),
    ...stack.settings,
  };
}

/** A merchant's own variables, as the apps read them: unprefixed for the first, MERCHANT_<NAME>_ for others. */
function merchantVariables(merchant: Merchant, prefix: string): NodeJS.ProcessEnv {
  return {
    [`${prefix}TEMPORAL_NAMESPACE`]: merchant.namespace,
    [`${prefix}UPSTREAM_ACCESS_TOKEN`]: merchant.upstreamToken,
    [`${prefix}API_TOKENS`]: namedTokens(merchant.clientTokens),
    ...(merchant.trustedClients === undefined ? {} : { [`${prefix}TRUSTED_CLIENTS`]: merchant.trustedClients.join(',') }),
    ...(merchant.webhookSecret === undefined ? {} : { [`${prefix}MERCADOPAGO_WEBHOOK_SECRET`]: merchant.webhookSecret }),
  };
}

/** PAYLOAD_ENCRYPTION_KEYS as the apps read it: `key_id:base64` pairs. */
export function encryptionKeysVariable(encryption: EncryptionKeys): string {
  return [...encryption.keys].map(([id, key]) => `${id}:${key.toString('base64')}`).join(',');
}

/** `name:token` pairs, as API_TOKENS and OPERATOR_TOKENS list them. */
function namedTokens(tokens: Readonly<Record<string, string>>): string {
  return Object.entries(tokens)
    .map(([name, token]) => `${name}:${token}`)
    .join(',');
}
