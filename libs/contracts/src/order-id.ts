/** `ORD` (or `ORDTST` for test users) followed by a 26-character uppercase ULID-like id. */
const ORDER_ID = /^ORD(TST)?[0-9A-Z]{26}$/;

/** The rule as a pattern string, for the OpenAPI document. */
export const ORDER_ID_PATTERN = ORDER_ID.source;

export function isValidOrderId(value: string): boolean {
  return ORDER_ID.test(value);
}
