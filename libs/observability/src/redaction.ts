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

function isSensitiveKey(key: string): boolean {
  const normalised = key.toLowerCase().replace(/[-_]/g, '');
  return PAYER_KEYS.has(normalised) || (SECRET_NAME.test(normalised) && !SEARCHABLE_KEYS.has(normalised));
}

/** Bearer credentials and e-mail addresses that slipped into free text (an error message, say). */
const SENSITIVE_TEXT: readonly [RegExp, string][] = [
  [/\bBearer\s+[^\s"',;]+/gi, `Bearer ${REDACTED}`],
  [/[^\s"'<>@,;:]+@[^\s"'<>@,;:]+\.[a-z]{2,}/gi, REDACTED],
];

export function redactText(text: string): string {
  return SENSITIVE_TEXT.reduce((result, [pattern, replacement]) => result.replace(pattern, replacement), text);
}

/** A copy of `value` fit for a log line: sensitive keys replaced at any depth, strings scrubbed. */
export function redact(value: unknown, depth = 0): unknown {
  // Deeper than any log field we write: cut rather than walk a cyclic or huge structure.
  if (depth > 8) return REDACTED;
  if (typeof value === 'string') return redactText(value);
  if (Array.isArray(value)) return value.map((item) => redact(item, depth + 1));
  if (value instanceof Error) return { name: value.name, message: redactText(value.message) };
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, isSensitiveKey(key) ? REDACTED : redact(item, depth + 1)]));
}
