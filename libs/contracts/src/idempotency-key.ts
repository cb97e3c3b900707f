export const IDEMPOTENCY_KEY_HEADER = 'x-idempotency-key';
export const MAX_IDEMPOTENCY_KEY_LENGTH = 64;

/** Visible ASCII only: keys become workflow IDs and log fields, where control characters do harm. */
const PRINTABLE_KEY = /^[\x21-\x7e]+$/;

export type IdempotencyKeyCheck = 'missing' | 'invalid' | 'valid';

/** Classifies a raw X-Idempotency-Key header value, before anything is started. */
export function checkIdempotencyKey(value: string | undefined): IdempotencyKeyCheck {
  if (value === undefined || value === '') return 'missing';
  if (value.length > MAX_IDEMPOTENCY_KEY_LENGTH || !PRINTABLE_KEY.test(value)) return 'invalid';
  return 'valid';
}
