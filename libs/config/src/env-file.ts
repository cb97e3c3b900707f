import { existsSync } from 'node:fs';

/**
 * Loads `.env` from the working directory when there is one, for running an app alone during
 * development. Variables already in the environment win, so deployments are never overridden.
 */
export function loadEnvFileIfPresent(path = '.env'): void {
  if (existsSync(path)) process.loadEnvFile(path);
}
