import { OperatorSessions } from './operator-sessions';
import { sessionCookie, sessionFromCookieHeader } from './session-cookie';

const HOUR = 3_600_000;

describe('OperatorSessions', () => {
  let now = 1_800_000_000_000;
  const clock = () => now;
  const sessions = (tokens: Record<string, string>, ttlMs = HOUR) => new OperatorSessions(new Map(Object.entries(tokens)), ttlMs, clock);

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

  it('dies when the operator token is removed or changed, or the lifetime shortened', () => {
    const issued = sessions({ alice: 'token-a' }).issue('alice');

    expect(sessions({ bob: 'token-b' }).verify(issued.value)).toBeNull();
    expect(sessions({ alice: 'token-a2' }).verify(issued.value)).toBeNull();
    expect(sessions({ alice: 'token-a' }, HOUR / 2).verify(issued.value)).toBeNull();
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
  it('is HttpOnly, SameSite=Strict, scoped to the codec, Secure when asked', () => {
    expect(sessionCookie({ value: 'v', maxAgeSeconds: 60 }, false)).toBe('codec_session=v; Path=/codec; HttpOnly; SameSite=Strict; Max-Age=60');
    expect(sessionCookie({ value: 'v', maxAgeSeconds: 60 }, true)).toMatch(/; Secure$/);
    expect(sessionCookie(null, false)).toBe('codec_session=; Path=/codec; HttpOnly; SameSite=Strict; Max-Age=0');
  });

  it('is found among other cookies', () => {
    expect(sessionFromCookieHeader('theme=dark; codec_session=abc.1.sig; other=1')).toBe('abc.1.sig');
    expect(sessionFromCookieHeader('xcodec_session=abc')).toBeNull();
    expect(sessionFromCookieHeader(undefined)).toBeNull();
  });
});
