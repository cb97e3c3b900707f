import { CODEC_PATH } from './codec-dialect';
import type { IssuedSession } from './operator-sessions';

const SESSION_COOKIE = 'codec_session';
/**
 * Over HTTPS the cookie takes the `__Host-` prefix: browsers then accept it only when set by this
 * very host over a secure connection, with no Domain and Path=/, so neither a sibling subdomain
 * nor a page on plain HTTP can plant one.
 */
const SECURE_SESSION_COOKIE = `__Host-${SESSION_COOKIE}`;

/** The session cookie's name and path: `__Host-` requires Path=/, so only the plain one is scoped to the codec. */
function cookieScope(secure: boolean): { name: string; path: string } {
  return secure ? { name: SECURE_SESSION_COOKIE, path: '/' } : { name: SESSION_COOKIE, path: CODEC_PATH };
}

/**
 * The session cookie: HttpOnly (no script reads it), SameSite=Strict (sent only by pages of the
 * same site, e.g. the Web UI on another port of the same host). `null` deletes it.
 */
export function sessionCookie(session: IssuedSession | null, secure: boolean): string {
  const { name, path } = cookieScope(secure);
  const attributes = [`Path=${path}`, 'HttpOnly', 'SameSite=Strict', `Max-Age=${session?.maxAgeSeconds ?? 0}`];
  if (secure) attributes.push('Secure');
  return [`${name}=${session?.value ?? ''}`, ...attributes].join('; ');
}

/**
 * The session cookie's value in a `Cookie` request header, or null when there is none or more than
 * one. Several arrive when someone planted a cookie of the same name (cookie tossing: from a
 * sibling subdomain, or over plain HTTP, with a longer path so it is sent first). Neither one can be
 * trusted to be the operator's own, so the request counts as signed out: at worst the operator signs
 * in again, never works in a session someone else chose.
 */
export function sessionFromCookieHeader(header: string | undefined, secure: boolean): string | null {
  const { name } = cookieScope(secure);
  const values: string[] = [];
  for (const pair of (header ?? '').split(';')) {
    const separator = pair.indexOf('=');
    if (separator > 0 && pair.slice(0, separator).trim() === name) values.push(pair.slice(separator + 1).trim());
  }
  const [only, ...others] = values;
  return others.length === 0 ? (only ?? null) : null;
}
