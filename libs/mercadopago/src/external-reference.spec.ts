import { externalReferenceOf } from './external-reference';

describe('externalReferenceOf', () => {
  it.each([
    [{ external_reference: 'shop-1234' }, 'shop-1234'],
    [{ type: 'online', external_reference: 'ext_ref_1' }, 'ext_ref_1'],
    [{ external_reference: '' }, null],
    [{ external_reference: 'x'.repeat(257) }, null],
    [{ external_reference: 1234 }, null],
    [{ data: { external_reference: 'nested' } }, null],
    [['shop-1234'], null],
    ['shop-1234', null],
    [null, null],
  ])('reads %j as %j', (body, expected) => {
    expect(externalReferenceOf(body)).toBe(expected);
  });
});
