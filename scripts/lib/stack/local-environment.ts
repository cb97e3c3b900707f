import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import { repoRoot } from '../paths';

/**
 * The environment of the local stack (`npm start` and the scripts that talk to it): .env.example's
 * values, overridden by .env when a developer has one, overridden by the real environment.
 * Nothing here is ever logged.
 */
export function localEnvironment(): NodeJS.ProcessEnv {
  const fromFile = (name: string) => {
    const file = join(repoRoot, name);
    return existsSync(file) ? parseEnv(readFileSync(file, 'utf8')) : {};
  };
  return { ...fromFile('.env.example'), ...fromFile('.env'), ...process.env };
}
