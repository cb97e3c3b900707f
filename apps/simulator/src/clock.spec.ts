import { rfc3339Millis, rfc3339Nanos } from './clock';

describe('timestamps', () => {
  it('writes RFC 3339 UTC with nine fractional digits (a double keeps about 0.25 µs of them)', () => {
    expect(rfc3339Nanos(Date.UTC(2024, 7, 26, 13, 6, 51, 45) + 0.317772)).toMatch(/^2024-08-26T13:06:51\.0453\d{5}Z$/);
    expect(rfc3339Nanos(Date.UTC(2024, 0, 1))).toBe('2024-01-01T00:00:00.000000000Z');
  });

  it('writes millisecond timestamps for Wallet Connect', () => {
    expect(rfc3339Millis(Date.UTC(2018, 9, 20, 13, 34, 20, 518) + 0.9)).toBe('2018-10-20T13:34:20.518Z');
  });
});
