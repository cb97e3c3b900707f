import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

export type Authentication = { kind: 'authenticated'; accessToken: string } | { kind: 'rejected'; reason: 'unauthorized' | 'invalid_credentials' };

/**
 * Accepts `Authorization: Bearer <token>` with one of the configured tokens. `TEST-` tokens are
 * refused even when configured: the Orders API only takes a test user's `APP_USR-` credentials.
 */
export function authenticate(headers: IncomingHttpHeaders, accessTokens: ReadonlySet<string>): Authentication {
  const bearer = /^Bearer +(\S+)$/i.exec(headers.authorization ?? '');
  const token = bearer?.[1];
  if (token === undefined) return { kind: 'rejected', reason: 'unauthorized' };
  if (token.startsWith('TEST-')) return { kind: 'rejected', reason: 'invalid_credentials' };
  if (!accessTokens.has(token)) return { kind: 'rejected', reason: 'unauthorized' };
  return { kind: 'authenticated', accessToken: token };
}

/** A stable numeric id derived from any string: a seller's `user_id` per token, a payer id per payer token. */
export function numericIdFor(text: string): number {
  return Number.parseInt(createHash('sha256').update(text).digest('hex').slice(0, 10), 16) % 1_000_000_000;
}
