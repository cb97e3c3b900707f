import { numberToCents, parseDecimalAmount } from '../money';

/**
 * A small description of request bodies, checked the way the Orders API checks them: objects are
 * closed (unknown properties are errors) unless marked open, and every problem is reported, not
 * just the first. Issues carry the Orders error codes so callers only group them.
 */
export type Schema =
  | { kind: 'string'; oneOf?: readonly string[]; pattern?: RegExp; patternHint?: string; maxLength?: number }
  /** Money as a decimal string, "10.00" or "10"; a JSON number is a type error. */
  | { kind: 'decimal_amount'; positive?: boolean }
  /** Money as a JSON number with at most two decimals (Wallet Connect). */
  | { kind: 'number_amount'; positive?: boolean }
  | { kind: 'integer'; minimum?: number; maximum?: number }
  | { kind: 'boolean' }
  | { kind: 'object'; properties: Readonly<Record<string, Property>>; open?: boolean; nullable?: boolean }
  | { kind: 'array'; items: Schema; minItems?: number; maxItems?: number };

export interface Property {
  schema: Schema;
  required?: boolean;
}

export type SchemaIssueCode = 'required_properties' | 'unsupported_properties' | 'property_type' | 'property_value' | 'minimum_items' | 'maximum_items';

export interface SchemaIssue {
  code: SchemaIssueCode;
  detail: string;
}

/** Shorthands that keep schema declarations readable. */
export const required = (schema: Schema): Property => ({ schema, required: true });
export const optional = (schema: Schema): Property => ({ schema });

/** Every issue in `value`, with JSONPath-like locations rooted at `$`. */
export function validate(value: unknown, schema: Schema, path = '$'): SchemaIssue[] {
  switch (schema.kind) {
    case 'string':
      return validateString(value, schema, path);
    case 'decimal_amount':
      if (typeof value !== 'string') return [typeIssue(path, 'string', value)];
      return checkAmount(parseDecimalAmount(value), schema.positive, path, value, 'a decimal string with two decimals');
    case 'number_amount':
      if (typeof value !== 'number') return [typeIssue(path, 'number', value)];
      return checkAmount(numberToCents(value), schema.positive, path, String(value), 'a number with at most two decimals');
    case 'integer':
      if (typeof value !== 'number' || !Number.isInteger(value)) return [typeIssue(path, 'integer', value)];
      if ((schema.minimum !== undefined && value < schema.minimum) || (schema.maximum !== undefined && value > schema.maximum)) {
        return [valueIssue(path, String(value), `an integer from ${schema.minimum ?? '-∞'} to ${schema.maximum ?? '∞'}`)];
      }
      return [];
    case 'boolean':
      return typeof value === 'boolean' ? [] : [typeIssue(path, 'boolean', value)];
    case 'object':
      if (value === null && schema.nullable) return [];
      if (!isPlainObject(value)) return [typeIssue(path, 'object', value)];
      return validateObject(value, schema, path);
    case 'array':
      if (!Array.isArray(value)) return [typeIssue(path, 'array', value)];
      return validateArray(value, schema, path);
  }
}

function validateString(value: unknown, schema: Extract<Schema, { kind: 'string' }>, path: string): SchemaIssue[] {
  if (typeof value !== 'string') return [typeIssue(path, 'string', value)];
  if (schema.oneOf && !schema.oneOf.includes(value)) return [valueIssue(path, value, `one of: ${schema.oneOf.join(', ')}`)];
  if (schema.maxLength !== undefined && value.length > schema.maxLength) {
    return [valueIssue(path, value, `at most ${schema.maxLength} characters`)];
  }
  if (schema.pattern && !schema.pattern.test(value)) return [valueIssue(path, value, schema.patternHint ?? schema.pattern.source)];
  return [];
}

function checkAmount(cents: number | undefined, positive: boolean | undefined, path: string, shown: string, format: string): SchemaIssue[] {
  if (cents === undefined) return [valueIssue(path, shown, format)];
  if (positive && cents === 0) return [valueIssue(path, shown, 'an amount greater than zero')];
  return [];
}

function validateObject(value: Record<string, unknown>, schema: Extract<Schema, { kind: 'object' }>, path: string): SchemaIssue[] {
  const issues: SchemaIssue[] = [];
  for (const [name, property] of Object.entries(schema.properties)) {
    const propertyPath = `${path}.${name}`;
    if (value[name] === undefined) {
      if (property.required) issues.push({ code: 'required_properties', detail: `required property '${propertyPath}' is missing` });
    } else {
      issues.push(...validate(value[name], property.schema, propertyPath));
    }
  }
  if (!schema.open) {
    for (const name of Object.keys(value)) {
      if (!Object.hasOwn(schema.properties, name)) {
        issues.push({ code: 'unsupported_properties', detail: `additionalProperties '${path}.${name}' not allowed` });
      }
    }
  }
  return issues;
}

function validateArray(value: readonly unknown[], schema: Extract<Schema, { kind: 'array' }>, path: string): SchemaIssue[] {
  if (schema.minItems !== undefined && value.length < schema.minItems) {
    return [{ code: 'minimum_items', detail: `${path}: minimum ${schema.minItems} items required, but found ${value.length}` }];
  }
  if (schema.maxItems !== undefined && value.length > schema.maxItems) {
    return [{ code: 'maximum_items', detail: `${path}: maximum ${schema.maxItems} items required, but found ${value.length}` }];
  }
  return value.flatMap((item, index) => validate(item, schema.items, `${path}[${index}]`));
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function typeIssue(path: string, expected: string, value: unknown): SchemaIssue {
  return { code: 'property_type', detail: `${path}: expected ${expected}, but got ${jsonTypeName(value)}` };
}

function valueIssue(path: string, shown: string, expected: string): SchemaIssue {
  return { code: 'property_value', detail: `${path}: invalid value '${shown}', expected ${expected}` };
}

function jsonTypeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}
