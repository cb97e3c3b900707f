import { checkIdempotencyKey } from './idempotency-key';
import { isValidOrderId } from './order-id';

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

describe('isValidOrderId', () => {
  it.each([
    ['ORD01J49MMW3SSBK5PSV3DFR32959', true],
    ['ORDTST01KYMB0S1TKGKCWFSB1ZRR3EW7', true],
    ['ORD01J49MMW3SSBK5PSV3DFR3295', false],
    ['ORD01J49MMW3SSBK5PSV3DFR329599', false],
    ['ord01j49mmw3ssbk5psv3dfr32959', false],
    ['PAY01J49MMW3SSBK5PSV3DFR32959', false],
    ['ORD01J49MMW3SSBK5PSV3DFR3295-', false],
    ['ORD01J49MMW3SSBK5PSV3DFR32959/../x', false],
  ])('%s → %p', (value, expected) => {
    expect(isValidOrderId(value)).toBe(expected);
  });
});
