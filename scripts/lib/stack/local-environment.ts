import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import { repoRoot } from '../paths';

function fromFile(name: string): NodeJS.ProcessEnv {
  const file = join(repoRoot, name);
  return existsSync(file) ? parseEnv(readFileSync(file, 'utf8')) : {};
}

/**
 * The environment of the local stack (`npm start` and the scripts that talk to it): .env.example's
 * values, overridden by .env when a developer has one, overridden by the real environment.
 * Nothing here is ever logged.
 */
export function localEnvironment(): NodeJS.ProcessEnv {
  return { ...exampleEnvironment(), ...fromFile('.env'), ...process.env };
}

/** .env.example's values alone: the local stack as a fresh clone starts it (the browser test's). */
export function exampleEnvironment(): NodeJS.ProcessEnv {
  return fromFile('.env.example');
}
