/** `ORD` (or `ORDTST` for test users) followed by a 26-character uppercase ULID-like id. */
const ORDER_ID = /^ORD(TST)?[0-9A-Z]{26}$/;

export function isValidOrderId(value: string): boolean {
  return ORDER_ID.test(value);
}
