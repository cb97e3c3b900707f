import { externalReferenceOf, searchAttributeDeclarations, searchAttributes, searchAttributesProblem } from './search-attributes';

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

describe('searchAttributeDeclarations', () => {
  it('declares every attribute with its CLI type name', () => {
    expect(searchAttributeDeclarations).toEqual([
      'PaymentOperation=Keyword',
      'OrderId=Keyword',
      'ClientId=Keyword',
      'ExternalReference=Keyword',
      'PaymentOutcome=Keyword',
      'UpstreamStatus=Int',
      'OrderStatus=Keyword',
      'PaymentStatus=Keyword',
    ]);
  });
});

describe('searchAttributesProblem', () => {
  const registered = Object.fromEntries(Object.values(searchAttributes).map((key) => [key.name, key.type]));

  it('is null when the namespace has every attribute, others besides', () => {
    expect(searchAttributesProblem('default', { ...registered, CustomKeywordField: 'Keyword' })).toBeNull();
  });

  it('names the namespace, each missing attribute and the fix', () => {
    const partial = Object.fromEntries(Object.entries(registered).filter(([name]) => name !== 'OrderId' && name !== 'UpstreamStatus'));
    expect(searchAttributesProblem('shop', partial)).toBe('namespace "shop" lacks search attributes OrderId, UpstreamStatus: run `npm run temporal:search-attributes` against it');
  });
});
