import { z } from 'zod';
import { publishedSecretProblems } from './published-secrets';

/** Thrown at start-up when the environment does not satisfy an app's schema; lists every bad variable. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Validates environment variables against a schema whose keys are the variable names. Empty
 * strings count as unset, so `FOO=` in an env file falls back to the default like an absent FOO.
 * With NODE_ENV=production (Node's and Express's convention for a deployment), a secret set to a
 * value `.env.example` publishes is refused too, for every app alike.
 */
export function loadConfig<Shape extends z.ZodRawShape>(shape: Shape, env: NodeJS.ProcessEnv = process.env): z.infer<z.ZodObject<Shape>> {
  const present: Record<string, string> = {};
  for (const name of Object.keys(shape)) {
    const value = env[name];
    if (value !== undefined && value !== '') present[name] = value;
  }
  const published = env.NODE_ENV === 'production' ? publishedSecretProblems(present) : [];
  const parsed = z.object(shape).safeParse(present);
  if (parsed.success && published.length === 0) return parsed.data;
  throw new ConfigError([
    ...published,
    ...(parsed.error?.issues ?? []).map((issue) => {
      // The variable, not the place inside its parsed value (MERCHANTS, not MERCHANTS.0).
      const name = String(issue.path[0]);
      return present[name] === undefined ? `${name} is required: ${issue.message}` : `${name} is invalid: ${issue.message}`;
    }),
  ]);
}
