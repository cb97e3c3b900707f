export const IDEMPOTENCY_KEY_HEADER = 'x-idempotency-key';

/** 1 to 64 visible ASCII characters: keys become workflow IDs and log fields, where control characters do harm. */
const VALID_KEY = /^[\x21-\x7e]{1,64}$/;

/** The rule as a pattern string, for the OpenAPI document. */
export const IDEMPOTENCY_KEY_PATTERN = VALID_KEY.source;

export type IdempotencyKeyCheck = 'missing' | 'invalid' | 'valid';

/** Classifies a raw X-Idempotency-Key header value, before anything is started. */
export function checkIdempotencyKey(value: string | undefined): IdempotencyKeyCheck {
  if (value === undefined || value === '') return 'missing';
  return VALID_KEY.test(value) ? 'valid' : 'invalid';
}
