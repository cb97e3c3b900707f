import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import { repoRoot } from './paths';

/**
 * The environment for locally started apps: .env.example's values, overridden by .env when a
 * developer has one, overridden by the real environment. Nothing here is ever logged.
 */
export function stackEnvironment(): NodeJS.ProcessEnv {
  const fromFile = (name: string) => {
    const file = join(repoRoot, name);
    return existsSync(file) ? parseEnv(readFileSync(file, 'utf8')) : {};
  };
  return { ...fromFile('.env.example'), ...fromFile('.env'), ...process.env };
}
