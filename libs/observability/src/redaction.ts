export const REDACTED = '[REDACTED]';

/**
 * Key names whose values are payer data, compared without case, `_` or `-`. Whole subtrees go (a
 * `payer` object hides its names, email and identification alike).
 */
const PAYER_KEYS: ReadonlySet<string> = new Set(['payer', 'email', 'identification', 'firstname', 'lastname', 'name', 'phone', 'address', 'cardholder', 'securitycode', 'cvv', 'body']);

/**
 * Secrets go by what their name says rather than by a list of names, so a setting or header added
 * later (`CLIENT_CALLBACK_SECRETS`, `x-signature`, `apiKey`) is hidden without anyone remembering
 * to list it: every kind of token (access, card, bearer, API), secret, password, credential,
 * cookie, authorization or signature, and any name ending in `key` or `keys` (an encryption key, an
 * API key) except the identifiers operators search by.
 */
const SECRET_NAME = /token|secret|passw(or)?d|credential|cookie|authori[sz]ation|signature|keys?$/;
const SEARCHABLE_KEYS: ReadonlySet<string> = new Set(['idempotencykey', 'xidempotencykey']);

/**
 * Judgements of key names already seen: every log line names the same few fields, and judging a
 * name costs a lowercase copy and two lookups. Bounded, since logged objects may carry any names;
 * past the bound a name is judged each time, as before.
 */
const judgedKeys = new Map<string, boolean>();
const MAX_JUDGED_KEYS = 1_000;

function isSensitiveKey(key: string): boolean {
  const known = judgedKeys.get(key);
  if (known !== undefined) return known;
  const normalised = key.toLowerCase().replace(/[-_]/g, '');
  const sensitive = PAYER_KEYS.has(normalised) || (SECRET_NAME.test(normalised) && !SEARCHABLE_KEYS.has(normalised));
  if (judgedKeys.size < MAX_JUDGED_KEYS) judgedKeys.set(key, sensitive);
  return sensitive;
}

const BEARER_CREDENTIALS = /\bBearer\s+[^\s"',;]+/gi;
const EMAIL_ADDRESS = /[^\s"'<>@,;:]+@[^\s"'<>@,;:]+\.[a-z]{2,}/gi;

/** Bearer credentials and e-mail addresses that slipped into free text (an error message, say). */
export function redactText(text: string): string {
  const withoutCredentials = text.replace(BEARER_CREDENTIALS, `Bearer ${REDACTED}`);
  // An address holds an `@`. Without one the pattern cannot match, and trying it costs time
  // quadratic in a word's length (each start retries the whole word): most of an access line's
  // redaction, whose fields (ids, keys, routes) hold none (BENCHMARKS.md, the replay front).
  return withoutCredentials.includes('@') ? withoutCredentials.replace(EMAIL_ADDRESS, REDACTED) : withoutCredentials;
}

/** A copy of `value` fit for a log line: sensitive keys replaced at any depth, strings scrubbed. */
export function redact(value: unknown, depth = 0): unknown {
  // Deeper than any log field we write: cut rather than walk a cyclic or huge structure.
  if (depth > 8) return REDACTED;
  if (typeof value === 'string') return redactText(value);
  if (Array.isArray(value)) return value.map((item) => redact(item, depth + 1));
  if (value instanceof Error) return { name: value.name, message: redactText(value.message) };
  if (typeof value !== 'object' || value === null) return value;
  const copy: Record<string, unknown> = {};
  redactFieldsInto(copy, value, depth);
  return copy;
}

/**
 * Adds `source`'s own fields to `target`, each redacted as `redact` redacts an object's: a field
 * `target` already has takes the new value in its place, as an object spread would. One pass, no
 * intermediate copies: every request's access line goes through here (BENCHMARKS.md, the replay front).
 */
export function redactFieldsInto(target: Record<string, unknown>, source: object, depth = 0): void {
  for (const key of Object.keys(source)) {
    const item = (source as Record<string, unknown>)[key];
    const value = isSensitiveKey(key) ? REDACTED : redact(item, depth + 1);
    // An own field named __proto__ stays a field, as with a spread, rather than setting the prototype.
    if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
    else target[key] = value;
  }
}
