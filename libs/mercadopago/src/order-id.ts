import { isJsonObject, type JsonValue } from '../../contracts/src/json';

/** `ORD` (or `ORDTST` for test users) followed by a 26-character uppercase ULID-like id. */
const ORDER_ID = /^ORD(TST)?[0-9A-Z]{26}$/;

/** The rule as a pattern string, for the OpenAPI document. */
export const ORDER_ID_PATTERN = ORDER_ID.source;

export function isValidOrderId(value: string): boolean {
  return ORDER_ID.test(value);
}

/**
 * The order id an order create was answered with: the order's own `id`, or `data.id` when a
 * declined automatic order comes back under `data` (402: the order exists, failed).
 */
export function answeredOrderId(body: JsonValue): string | null {
  if (!isJsonObject(body)) return null;
  const id = body.id ?? (isJsonObject(body.data) ? body.data.id : undefined);
  return typeof id === 'string' ? id : null;
}
