import { isJsonObject, type JsonValue } from '../../contracts/src/json';

/** Far above Mercado Pago's own limit for external_reference, far below a Keyword's 2 KB. */
const MAX_EXTERNAL_REFERENCE_LENGTH = 256;

/**
 * The merchant's own reference (`external_reference`) in a request or an upstream answer, by which
 * operators find a payment they know only from their shop; null when absent or unusable.
 */
export function externalReferenceOf(body: JsonValue | null): string | null {
  if (!isJsonObject(body)) return null;
  const reference = body.external_reference;
  return typeof reference === 'string' && reference.length > 0 && reference.length <= MAX_EXTERNAL_REFERENCE_LENGTH ? reference : null;
}
