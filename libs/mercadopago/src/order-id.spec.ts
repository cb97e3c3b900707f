import { isValidOrderId } from './order-id';

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
