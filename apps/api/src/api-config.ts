import { z } from 'zod';
import { env, hostVariable, loadConfig, temporalVariables } from '@app/config';
import { attemptActivityKinds } from '@app/contracts';
import { encryptionVariables } from '@app/encryption';

/** `client_id:token` pairs; client ids name the caller in fingerprints, logs and search attributes. */
const apiTokens = env.list().transform((pairs, context) => {
  const tokensByClient = new Map<string, string>();
  for (const pair of pairs) {
    const separator = pair.indexOf(':');
    const clientId = pair.slice(0, separator);
    const token = pair.slice(separator + 1);
    if (separator < 1 || token === '' || !/^[\w.-]+$/.test(clientId)) {
      // Never echo the pair: it holds a secret.
      context.addIssue({ code: 'custom', message: 'each item must be client_id:token, client_id of letters, digits, _ . -' });
      return z.NEVER;
    }
    tokensByClient.set(clientId, token);
  }
  return tokensByClient;
});

export const apiConfigShape = {
  ...hostVariable,
  ...temporalVariables,
  ...encryptionVariables,
  PORT: env.port(3000),
  /** For reads (GET /v1/orders/{id}), which go straight upstream; writes go through the worker. */
  UPSTREAM_BASE_URL: env.url('http://127.0.0.1:4010'),
  UPSTREAM_ACCESS_TOKEN: env.requiredText(),
  API_TOKENS: apiTokens,
  WAIT_FOR_RESULT_MS: env.milliseconds(10_000),
  UPSTREAM_TIMEOUT_MS: env.milliseconds(10_000),
  UPSTREAM_RETRY_INITIAL_MS: env.milliseconds(500),
  UPSTREAM_RETRY_MAX_INTERVAL_MS: env.milliseconds(30_000),
  UPSTREAM_RETRY_BUDGET_MS: env.milliseconds(600_000),
  /** Bound on each call to Temporal; past it the key's state counts as unreadable (fail closed). */
  TEMPORAL_RPC_TIMEOUT_MS: env.milliseconds(5_000),
  /** How the runs this API starts make their upstream attempts (see PaymentWriteInput). */
  UPSTREAM_ATTEMPT_ACTIVITY: z.enum(attemptActivityKinds).default('regular'),
};

export type ApiConfig = ReturnType<typeof loadApiConfig>;

export function loadApiConfig(environment: NodeJS.ProcessEnv = process.env) {
  return loadConfig(apiConfigShape, environment);
}

export const API_CONFIG = Symbol('API_CONFIG');
