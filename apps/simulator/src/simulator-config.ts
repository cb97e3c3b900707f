import { z } from 'zod';
import { env, hostVariable, loadConfig } from '@app/config';

export const simulatorConfigShape = {
  ...hostVariable,
  SIMULATOR_PORT: env.port(4010),
  /** Comma-separated Bearer tokens the simulator accepts. */
  SIMULATOR_ACCESS_TOKENS: env.list().default(['APP_USR-local-simulator-token']),
  /** 0 is allowed here (env.milliseconds is for timeouts, which must be positive). */
  SIMULATOR_LATENCY_MS: z.coerce.number().int().min(0).max(60_000).default(0),
};

export function loadSimulatorConfig(environment: NodeJS.ProcessEnv = process.env) {
  return loadConfig(simulatorConfigShape, environment);
}
