import { z } from 'zod';
import { ConfigError, env, hostVariable, loadConfig } from '@app/config';
import { DEFAULT_PENDING_SETTLE_MS, pendingSettleMsSchema } from './notifications/notification-settings';
import { readWebhookSecrets } from './notifications/webhook-secrets';

export const simulatorConfigShape = {
  ...hostVariable,
  SIMULATOR_PORT: env.port(4010),
  /** Comma-separated Bearer tokens the simulator accepts. */
  SIMULATOR_ACCESS_TOKENS: env.list().default(['APP_USR-local-simulator-token']),
  /** 0 is allowed here (env.milliseconds is for timeouts, which must be positive). */
  SIMULATOR_LATENCY_MS: z.coerce.number().int().min(0).max(60_000).default(0),
  /** Where order and payment notifications are posted; unset sends none. */
  SIMULATOR_NOTIFICATION_URL: env.url().optional(),
  /** `<access token>=<secret>` pairs: an order or advanced payment is notified only when its owner token has a secret. */
  SIMULATOR_WEBHOOK_SECRETS: z
    .string()
    .transform((text, context) => {
      const reading = readWebhookSecrets(text);
      if (reading.kind === 'valid') return reading.secrets;
      for (const problem of reading.problems) context.addIssue({ code: 'custom', message: problem });
      return z.NEVER;
    })
    .default({}),
  /** 0 means CONT orders and advanced payments wait for a settle control call. */
  SIMULATOR_PENDING_SETTLE_MS: z.coerce.number().pipe(pendingSettleMsSchema).default(DEFAULT_PENDING_SETTLE_MS),
};

export function loadSimulatorConfig(environment: NodeJS.ProcessEnv = process.env) {
  const config = loadConfig(simulatorConfigShape, environment);
  // A secret for a token the simulator refuses could never sign anything: surely a typo.
  const strangers = Object.keys(config.SIMULATOR_WEBHOOK_SECRETS).filter((token) => !config.SIMULATOR_ACCESS_TOKENS.includes(token));
  if (strangers.length > 0) {
    throw new ConfigError([`SIMULATOR_WEBHOOK_SECRETS is invalid: ${strangers.length} of its access tokens are not in SIMULATOR_ACCESS_TOKENS`]);
  }
  return config;
}
