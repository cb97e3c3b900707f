export const REDACTED = '[REDACTED]';

/**
 * Key names whose values are secrets or payer data, compared without case, `_` or `-`. Whole
 * subtrees go (a `payer` object hides its names, email and identification alike).
 */
const SENSITIVE_KEYS: ReadonlySet<string> = new Set([
  'authorization',
  'cookie',
  'password',
  'secret',
  'apitokens',
  'payloadencryptionkeys',
  'encryptionkey',
  'encryptionkeys',
  'payer',
  'email',
  'identification',
  'firstname',
  'lastname',
  'name',
  'phone',
  'address',
  'cardholder',
  'securitycode',
  'cvv',
  'body',
]);

function isSensitiveKey(key: string): boolean {
  const normalised = key.toLowerCase().replace(/[-_]/g, '');
  // Every kind of token (access, card, bearer, API) is a secret or stands for a card.
  return SENSITIVE_KEYS.has(normalised) || normalised.includes('token');
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
