import { join } from 'node:path';
import { repoRoot } from '../lib/paths';

/** What one fuzz run does; every run is bounded in examples and in wall-clock time. */
export interface FuzzPlan {
  /** An API already running, or null to start a private stack. */
  apiUrl: string | null;
  /** The checkout client's bearer token; required with apiUrl, the private stack's own otherwise. */
  token: string | null;
  /** Test cases per operation and phase (schemathesis --max-examples). */
  maxExamples: number;
  /** Wall-clock cap of the fuzzing, in seconds; schemathesis is stopped (and the run fails) past it. */
  maxSeconds: number;
  /** The generation seed: the same seed, API and document generate the same requests again. */
  seed: number;
  outputDirectory: string;
  verbose: boolean;
}

const PRESETS = {
  // For the e2e test in `npm test`: about a minute of fuzzing on a 2-core machine.
  quick: { maxExamples: 15, maxSeconds: 60 },
  full: { maxExamples: 100, maxSeconds: 600 },
} as const;

const USAGE = 'usage: npm run fuzz -- [--quick] [--api-url URL --token TOKEN] [--max-examples N] [--max-seconds N] [--seed N] [--output-dir DIR] [--verbose]';

/** Reads the command line; anything unknown or malformed is an error naming the flag. */
export function readFuzzPlan(args: readonly string[], randomSeed: () => number): FuzzPlan {
  const flags = new Map<string, string>();
  const switches = new Set<string>();
  for (let index = 0; index < args.length; index++) {
    const flag = args[index] as string;
    if (flag === '--quick' || flag === '--verbose') switches.add(flag);
    else if (['--api-url', '--token', '--max-examples', '--max-seconds', '--seed', '--output-dir'].includes(flag)) {
      const value = args[++index];
      if (value === undefined || value.startsWith('--')) throw new Error(`${flag} needs a value\n${USAGE}`);
      flags.set(flag, value);
    } else throw new Error(`unknown argument ${flag}\n${USAGE}`);
  }
  const preset = switches.has('--quick') ? PRESETS.quick : PRESETS.full;
  const apiUrl = flags.get('--api-url') ?? null;
  const token = flags.get('--token') ?? null;
  if (apiUrl !== null && token === null) throw new Error(`--api-url needs --token (a checkout client's bearer token from the API's API_TOKENS)\n${USAGE}`);
  if (apiUrl !== null && !/^https?:\/\/[^/]+$/.test(apiUrl)) throw new Error(`--api-url must be the API's origin, like http://127.0.0.1:3000 (got ${apiUrl})`);
  return {
    apiUrl,
    token,
    maxExamples: positiveInteger(flags, '--max-examples') ?? preset.maxExamples,
    maxSeconds: positiveInteger(flags, '--max-seconds') ?? preset.maxSeconds,
    seed: nonNegativeInteger(flags, '--seed') ?? randomSeed(),
    outputDirectory: flags.get('--output-dir') ?? join(repoRoot, 'artifacts/fuzz'),
    verbose: switches.has('--verbose'),
  };
}

function positiveInteger(flags: ReadonlyMap<string, string>, flag: string): number | undefined {
  const value = nonNegativeInteger(flags, flag);
  if (value === 0) throw new Error(`${flag} must be at least 1`);
  return value;
}

function nonNegativeInteger(flags: ReadonlyMap<string, string>, flag: string): number | undefined {
  const text = flags.get(flag);
  if (text === undefined) return undefined;
  if (!/^\d{1,15}$/.test(text)) throw new Error(`${flag} must be a whole number (got ${text})`);
  return Number(text);
}
