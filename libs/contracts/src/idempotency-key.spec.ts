import { checkIdempotencyKey } from './idempotency-key';

describe('checkIdempotencyKey', () => {
  it.each([
    [undefined, 'missing'],
    ['', 'missing'],
    ['a', 'valid'],
    ['0d5020ed-1af6-469c-ae06-c3bec19954bb', 'valid'],
    ['order:ORD01J49MMW3SSBK5PSV3DFR32959:process', 'valid'],
    ['x'.repeat(64), 'valid'],
    ['x'.repeat(65), 'invalid'],
    ['has space', 'invalid'],
    ['tab\there', 'invalid'],
    ['ñandú', 'invalid'],
  ])('classifies %p as %s', (value, expected) => {
    expect(checkIdempotencyKey(value)).toBe(expected);
  });
});
