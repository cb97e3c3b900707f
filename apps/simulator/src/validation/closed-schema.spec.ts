import { optional, required, validate, type Schema } from './closed-schema';

const schema: Schema = {
  kind: 'object',
  properties: {
    amount: required({ kind: 'decimal_amount', positive: true }),
    kind: optional({ kind: 'string', oneOf: ['a', 'b'] }),
    count: optional({ kind: 'integer', minimum: 1, maximum: 3 }),
    list: optional({ kind: 'array', items: { kind: 'string' }, maxItems: 1 }),
    nested: optional({ kind: 'object', nullable: true, properties: { name: required({ kind: 'string' }) } }),
    loose: optional({ kind: 'object', open: true, properties: {} }),
  },
};

describe('closed schema validation', () => {
  it('accepts a valid value', () => {
    expect(validate({ amount: '1.00', kind: 'a', count: 2, list: ['x'], nested: null, loose: { anything: 1 } }, schema)).toEqual([]);
  });

  it('reports every problem with its Orders code and location', () => {
    const issues = validate({ kind: 'c', count: 1.5, list: ['x', 'y'], nested: {}, extra: true }, schema);
    expect(issues).toEqual(
      expect.arrayContaining([
        { code: 'required_properties', detail: "required property '$.amount' is missing" },
        { code: 'property_value', detail: "$.kind: invalid value 'c', expected one of: a, b" },
        { code: 'property_type', detail: '$.count: expected integer, but got number' },
        { code: 'maximum_items', detail: '$.list: maximum 1 items required, but found 2' },
        { code: 'required_properties', detail: "required property '$.nested.name' is missing" },
        { code: 'unsupported_properties', detail: "additionalProperties '$.extra' not allowed" },
      ]),
    );
    expect(issues).toHaveLength(6);
  });

  it('distinguishes a number where a money string is expected from a malformed or zero string', () => {
    expect(validate({ amount: 10 }, schema)).toEqual([{ code: 'property_type', detail: '$.amount: expected string, but got integer' }]);
    expect(validate({ amount: '10.5' }, schema)[0]?.code).toBe('property_value');
    expect(validate({ amount: '0.00' }, schema)[0]?.detail).toContain('greater than zero');
  });

  it('rejects a non-object root', () => {
    expect(validate([], schema)).toEqual([{ code: 'property_type', detail: '$: expected object, but got array' }]);
  });
});
