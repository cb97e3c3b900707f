/**
 * Where the simulator reads the time. Injected so that tests can jump past the 24 h idempotency
 * window without sleeping. Milliseconds since the epoch, fractional where the platform has them.
 */
export interface Clock {
  nowMs(): number;
}

/** performance.now() keeps sub-millisecond digits, which the nanosecond timestamps below show. */
export const systemClock: Clock = { nowMs: () => performance.timeOrigin + performance.now() };

/** RFC 3339 in UTC with nine fractional digits, as the Orders API writes `created_date`. */
export function rfc3339Nanos(epochMs: number): string {
  const wholeSecondMs = Math.floor(epochMs / 1000) * 1000;
  const seconds = new Date(wholeSecondMs).toISOString().slice(0, 19);
  const nanos = Math.min(999_999_999, Math.floor((epochMs - wholeSecondMs) * 1_000_000));
  return `${seconds}.${String(nanos).padStart(9, '0')}Z`;
}

/** Millisecond precision, as the Wallet Connect samples write `date_created`. */
export function rfc3339Millis(epochMs: number): string {
  return new Date(Math.floor(epochMs)).toISOString();
}
