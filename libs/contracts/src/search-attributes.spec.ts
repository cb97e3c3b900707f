import { searchAttributeDeclarations, searchAttributes, searchAttributesProblem } from './search-attributes';

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
