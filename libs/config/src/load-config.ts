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
 * value `.env.example` publishes is refused too, for every app alike, and so is the absence of a
 * variable `requiredInProduction` names (its value says why a deployment needs it).
 */
export function loadConfig<Shape extends z.ZodRawShape>(
  shape: Shape,
  env: NodeJS.ProcessEnv = process.env,
  requiredInProduction?: Readonly<Partial<Record<keyof Shape & string, string>>>,
): z.infer<z.ZodObject<Shape>> {
  const present: Record<string, string> = {};
  for (const name of Object.keys(shape)) {
    const value = env[name];
    if (value !== undefined && value !== '') present[name] = value;
  }
  const production = env.NODE_ENV === 'production';
  const published = production ? publishedSecretProblems(present) : [];
  const missing = production
    ? Object.entries(requiredInProduction ?? {})
        .filter(([name]) => present[name] === undefined)
        .map(([name, why]) => `${name} is required with NODE_ENV=production: ${String(why)}`)
    : [];
  const parsed = z.object(shape).safeParse(present);
  if (parsed.success && published.length === 0 && missing.length === 0) return parsed.data;
  throw new ConfigError([
    ...published,
    ...missing,
    ...(parsed.error?.issues ?? []).map((issue) => {
      // The variable, not the place inside its parsed value (MERCHANTS, not MERCHANTS.0).
      const name = String(issue.path[0]);
      return present[name] === undefined ? `${name} is required: ${issue.message}` : `${name} is invalid: ${issue.message}`;
    }),
  ]);
}

/**
 * Runs one of a process's start-up checks, adding the problems of the ConfigError it throws to
 * `problems` rather than stopping there, so start-up lists every problem at once; the check's
 * result, or undefined when it failed.
 */
export function gatherProblems<Result>(problems: string[], check: () => Result): Result | undefined {
  try {
    return check();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    problems.push(...error.problems);
    return undefined;
  }
}
