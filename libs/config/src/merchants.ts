import { z } from 'zod';
import { ConfigError, loadConfig } from './load-config';
import { env } from './variables';

/** A merchant's name becomes part of variable names, log fields and metric labels. */
const MERCHANT_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;

const merchantName = z.string().regex(MERCHANT_NAME, 'a merchant name is a letter, then letters, digits or _');

/**
 * How merchants are named: MERCHANT_NAME is the one the unprefixed variables configure (every
 * single-merchant deployment, unchanged), MERCHANTS lists the others, each configured by the same
 * variables prefixed MERCHANT_<NAME>_.
 */
export const merchantVariables = {
  MERCHANT_NAME: merchantName.default('default'),
  MERCHANTS: env.list().pipe(z.array(merchantName)).optional(),
} as const;

/** `MERCHANT_ACME_` for acme: the prefix of a listed merchant's own variables. */
export function merchantPrefix(name: string): string {
  return `MERCHANT_${name.toUpperCase()}_`;
}

/** A merchant's name and its share of the configuration. */
export interface MerchantSettings<Settings> {
  name: string;
  settings: Settings;
}

/**
 * The merchants MERCHANTS lists, each validated against `shape` through its prefixed variables
 * (MERCHANT_ACME_UPSTREAM_ACCESS_TOKEN for UPSTREAM_ACCESS_TOKEN), so every problem names the
 * variable to fix. `first` is the merchant of the unprefixed variables; a name used twice (in any
 * case, as variable names are upper case) is refused.
 */
export function loadListedMerchants<Shape extends z.ZodRawShape>(
  shape: Shape,
  first: string,
  names: readonly string[],
  environment: NodeJS.ProcessEnv,
): MerchantSettings<z.infer<z.ZodObject<Shape>>>[] {
  const seen = new Set([first.toUpperCase()]);
  const problems: string[] = [];
  const merchants: MerchantSettings<z.infer<z.ZodObject<Shape>>>[] = [];
  for (const name of names) {
    if (seen.has(name.toUpperCase())) {
      problems.push(`MERCHANTS is invalid: merchant "${name}" is named twice (MERCHANT_NAME names the first, "${first}")`);
      continue;
    }
    seen.add(name.toUpperCase());
    const prefix = merchantPrefix(name);
    const prefixed = Object.fromEntries(Object.entries(shape).map(([variable, schema]) => [`${prefix}${variable}`, schema]));
    try {
      const loaded = loadConfig(prefixed, environment);
      // The prefixed shape holds the same schemas under other names, so the values are Shape's.
      const settings = Object.fromEntries(Object.keys(shape).map((variable) => [variable, loaded[`${prefix}${variable}`]])) as z.infer<z.ZodObject<Shape>>;
      merchants.push({ name, settings });
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      problems.push(...error.problems);
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return merchants;
}

/** Refuses a value two merchants share where each must have its own (a namespace, a client name). */
export function requireDistinct(what: string, valuesByMerchant: ReadonlyArray<{ merchant: string; values: readonly string[] }>): void {
  const owner = new Map<string, string>();
  const problems: string[] = [];
  for (const { merchant, values } of valuesByMerchant) {
    for (const value of values) {
      const other = owner.get(value);
      if (other !== undefined && other !== merchant) problems.push(`merchants "${other}" and "${merchant}" share ${what} "${value}"; each merchant needs its own`);
      owner.set(value, merchant);
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
}
