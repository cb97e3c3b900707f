/**
 * Reads an HTTP Retry-After value (delay-seconds or an HTTP date) as milliseconds from `now`.
 * Returns null when absent or unreadable, so a malformed header never blocks a retry.
 */
export function parseRetryAfterMs(value: string | null, now: number = Date.now()): number | null {
  if (value === null || value.trim() === '') return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  // HTTP dates always end in GMT; Date.parse alone would accept "-1" as a year.
  if (!trimmed.endsWith(' GMT')) return null;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return null;
  return Math.max(0, date - now);
}
