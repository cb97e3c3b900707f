import { createHash, randomUUID } from 'node:crypto';
import { isJsonObject, type JsonValue } from '@app/contracts';

/** Longer names are replaced by their digest: the follow-up keeps every change it has seen. */
const LONGEST_CHANGE_NAME = 200;

/**
 * What changed, as a notification names it: `action|data.status|data.status_detail|data.version|id`
 * of its JSON body, a missing or non-scalar field empty. Order notifications name the order's state;
 * payment notifications name only `payment.created` or `payment.updated`, and carry an `id` of
 * their own that each new one changes and a resend keeps. Only used to tell a repeated notification
 * from a new one (Mercado Pago resends one until it is answered 200, and may send one change more
 * than once); nothing else in the body is read or trusted, since the signature does not cover it.
 *
 * A body that is not a JSON object (Mercado Pago always sends one; a validly signed notification
 * without one is still a sign the order changed) is named by its signed x-request-id, so a resend
 * of that very request is a duplicate; without one, it is named uniquely and never a duplicate.
 */
export function notificationChange(body: Buffer, requestId: string | undefined): string {
  const parsed = parseJson(body);
  if (!isJsonObject(parsed)) return `request:${requestId === undefined || requestId === '' ? randomUUID() : requestId}`;
  const data = isJsonObject(parsed.data) ? parsed.data : {};
  const name = [parsed.action, data.status, data.status_detail, data.version, parsed.id].map(scalarText).join('|');
  return name.length <= LONGEST_CHANGE_NAME ? name : `sha256:${createHash('sha256').update(name).digest('hex')}`;
}

function parseJson(body: Buffer): JsonValue | undefined {
  try {
    return JSON.parse(body.toString('utf8')) as JsonValue;
  } catch {
    return undefined;
  }
}

function scalarText(value: JsonValue | undefined): string {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : '';
}
