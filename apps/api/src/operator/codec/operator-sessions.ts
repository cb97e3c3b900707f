import { createHmac, timingSafeEqual } from 'node:crypto';

/** v2: keys mix in CODEC_SESSION_SECRET; v1 cookies, keyed by the token alone, no longer verify. */
const KEY_LABEL = 'codec-session-v2';

/** A session value to put in a cookie, and how long the cookie should live. */
export interface IssuedSession {
  value: string;
  maxAgeSeconds: number;
}

/**
 * Stateless browser sessions for operators: `name.expiry.signature`, signed with a key derived
 * from the server's secret and the operator's own token. Every API replica holding the same
 * OPERATOR_TOKENS and CODEC_SESSION_SECRET accepts it; changing the operator's token or the secret
 * invalidates it at once; it expires after the TTL. Without the secret in the key, a stolen cookie
 * would let its thief test guesses of the token offline, as fast as HMACs can be computed.
 */
export class OperatorSessions {
  private readonly keysByName: ReadonlyMap<string, Buffer>;

  constructor(
    tokensByName: ReadonlyMap<string, string>,
    secret: string,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {
    this.keysByName = new Map([...tokensByName].map(([name, token]) => [name, createHmac('sha256', secret).update(`${KEY_LABEL}\n${token}`).digest()]));
  }

  issue(name: string): IssuedSession {
    const key = this.keysByName.get(name);
    if (key === undefined) throw new Error(`no operator named "${name}"`);
    const expiresAt = this.now() + this.ttlMs;
    return { value: `${Buffer.from(name).toString('base64url')}.${expiresAt}.${sign(key, name, expiresAt)}`, maxAgeSeconds: Math.floor(this.ttlMs / 1000) };
  }

  /** The operator a session value belongs to, or null when it is forged, expired or its token is gone. */
  verify(value: string): string | null {
    const [encodedName = '', expiry = '', signature = '', ...rest] = value.split('.');
    if (rest.length > 0 || !/^\d{1,15}$/.test(expiry)) return null;
    const name = Buffer.from(encodedName, 'base64url').toString();
    const key = this.keysByName.get(name);
    const expiresAt = Number(expiry);
    // Also refuse expiries beyond today's TTL, so shortening CODEC_SESSION_TTL_MS shortens live sessions too.
    if (key === undefined || expiresAt <= this.now() || expiresAt > this.now() + this.ttlMs) return null;
    const expected = Buffer.from(sign(key, name, expiresAt));
    const presented = Buffer.from(signature);
    return presented.length === expected.length && timingSafeEqual(presented, expected) ? name : null;
  }
}

function sign(key: Buffer, name: string, expiresAt: number): string {
  return createHmac('sha256', key).update(`${name}\n${expiresAt}`).digest('base64url');
}
