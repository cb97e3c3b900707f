import { createHmac } from 'node:crypto';
import { OperatorSessions } from './operator-sessions';
import { sessionCookie, sessionFromCookieHeader } from './session-cookie';

const HOUR = 3_600_000;
const SECRET = 'server-side-secret-of-32-characters-at-least';

describe('OperatorSessions', () => {
  let now = 1_800_000_000_000;
  const clock = () => now;
  const sessions = (tokens: Record<string, string>, ttlMs = HOUR, secret = SECRET) => new OperatorSessions(new Map(Object.entries(tokens)), secret, ttlMs, clock);

  beforeEach(() => {
    now = 1_800_000_000_000;
  });

  it('accepts its own session on any replica with the same tokens, and says whose it is', () => {
    const issued = sessions({ alice: 'token-a', 'bob.ops': 'token-b' }).issue('bob.ops');

    expect(sessions({ alice: 'token-a', 'bob.ops': 'token-b' }).verify(issued.value)).toBe('bob.ops');
    expect(issued.maxAgeSeconds).toBe(3600);
    expect(issued.value).not.toContain('token-b');
  });

  it('expires after its lifetime', () => {
    const replica = sessions({ alice: 'token-a' });
    const issued = replica.issue('alice');
    now += HOUR - 1;
    expect(replica.verify(issued.value)).toBe('alice');
    now += 1;
    expect(replica.verify(issued.value)).toBeNull();
  });

  it('dies when the operator token or the server secret is removed or changed, or the lifetime shortened', () => {
    const issued = sessions({ alice: 'token-a' }).issue('alice');

    expect(sessions({ bob: 'token-b' }).verify(issued.value)).toBeNull();
    expect(sessions({ alice: 'token-a2' }).verify(issued.value)).toBeNull();
    expect(sessions({ alice: 'token-a' }, HOUR / 2).verify(issued.value)).toBeNull();
    expect(sessions({ alice: 'token-a' }, HOUR, `${SECRET}-rotated`).verify(issued.value)).toBeNull();
  });

  it('cannot be used to check guesses of the token without the server secret', () => {
    const [encodedName = '', expiry = '', signature] = sessions({ alice: 'token-a' }).issue('alice').value.split('.');
    // A thief of the cookie who guesses the token right, and signs as a key of the token alone would.
    const signedWith = (key: Buffer) => createHmac('sha256', key).update(`alice\n${expiry}`).digest('base64url');
    const tokenOnlyKeys = ['codec-session-v1', 'codec-session-v2'].map((label) => createHmac('sha256', 'token-a').update(label).digest());

    expect(Buffer.from(encodedName, 'base64url').toString()).toBe('alice');
    for (const key of tokenOnlyKeys) expect(signedWith(key)).not.toBe(signature);
  });

  it('refuses values that were forged or tampered with', () => {
    const replica = sessions({ alice: 'token-a', bob: 'token-b' });
    const [, expiry, signature] = replica.issue('alice').value.split('.');
    const asBob = `${Buffer.from('bob').toString('base64url')}.${expiry}.${signature}`;
    const later = `${Buffer.from('alice').toString('base64url')}.${Number(expiry) + 1}.${signature}`;

    for (const forged of [asBob, later, '', 'a.b.c', `${asBob}.extra`, 'YWxpY2U.1e3.x']) expect(replica.verify(forged)).toBeNull();
  });
});

describe('session cookie', () => {
  it('is HttpOnly, SameSite=Strict and scoped to the codec', () => {
    expect(sessionCookie({ value: 'v', maxAgeSeconds: 60 }, false)).toBe('codec_session=v; Path=/codec; HttpOnly; SameSite=Strict; Max-Age=60');
    expect(sessionCookie(null, false)).toBe('codec_session=; Path=/codec; HttpOnly; SameSite=Strict; Max-Age=0');
  });

  it('is Secure with the __Host- prefix (which requires Path=/) when asked', () => {
    expect(sessionCookie({ value: 'v', maxAgeSeconds: 60 }, true)).toBe('__Host-codec_session=v; Path=/; HttpOnly; SameSite=Strict; Max-Age=60; Secure');
    expect(sessionCookie(null, true)).toBe('__Host-codec_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0; Secure');
  });

  it('is found among other cookies, under the name of its mode only', () => {
    expect(sessionFromCookieHeader('theme=dark; codec_session=abc.1.sig; other=1', false)).toBe('abc.1.sig');
    expect(sessionFromCookieHeader('theme=dark; __Host-codec_session=abc.1.sig', true)).toBe('abc.1.sig');
    // Over HTTPS, a cookie without the prefix may have been planted by a sibling subdomain or over HTTP.
    expect(sessionFromCookieHeader('codec_session=abc.1.sig', true)).toBeNull();
    expect(sessionFromCookieHeader('__Host-codec_session=abc.1.sig', false)).toBeNull();
    expect(sessionFromCookieHeader('xcodec_session=abc', false)).toBeNull();
    expect(sessionFromCookieHeader(undefined, false)).toBeNull();
  });

  it('counts as absent when it arrives more than once, whichever comes first (cookie tossing)', () => {
    expect(sessionFromCookieHeader('codec_session=planted.1.sig; codec_session=own.1.sig', false)).toBeNull();
    expect(sessionFromCookieHeader('__Host-codec_session=a.1.sig; __Host-codec_session=b.1.sig', true)).toBeNull();
  });
});
