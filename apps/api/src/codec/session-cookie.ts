import { CODEC_PATH } from './codec-dialect';
import type { IssuedSession } from './operator-sessions';

export const SESSION_COOKIE = 'codec_session';

/**
 * The session cookie: HttpOnly (no script reads it), SameSite=Strict (sent only by pages of the
 * same site, e.g. the Web UI on another port of the same host), scoped to the codec's paths.
 */
export function sessionCookie(session: IssuedSession | null, secure: boolean): string {
  const attributes = [`Path=${CODEC_PATH}`, 'HttpOnly', 'SameSite=Strict', `Max-Age=${session?.maxAgeSeconds ?? 0}`];
  if (secure) attributes.push('Secure');
  return [`${SESSION_COOKIE}=${session?.value ?? ''}`, ...attributes].join('; ');
}

/** The session cookie's value in a `Cookie` request header, if any. */
export function sessionFromCookieHeader(header: string | undefined): string | null {
  for (const pair of (header ?? '').split(';')) {
    const separator = pair.indexOf('=');
    if (separator > 0 && pair.slice(0, separator).trim() === SESSION_COOKIE) return pair.slice(separator + 1).trim();
  }
  return null;
}
