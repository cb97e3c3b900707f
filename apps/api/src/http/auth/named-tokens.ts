import { hash, timingSafeEqual } from 'node:crypto';

interface KnownToken {
  name: string;
  digest: Buffer;
}

/**
 * Maps a secret token to the name of its holder. Tokens are compared as SHA-256 digests in
 * constant time, against every known token, so neither length nor position leaks through timing.
 */
export class NamedTokens {
  private readonly known: readonly KnownToken[];

  constructor(tokensByName: ReadonlyMap<string, string>) {
    this.known = [...tokensByName].map(([name, token]) => ({ name, digest: digest(token) }));
  }

  /** The holder of a token, or null when nobody holds it. */
  identify(token: string): string | null {
    // No token digests like the empty string, which nobody can hold (tokens are non-empty).
    const presented = digest(token);
    let found: string | null = null;
    for (const entry of this.known) {
      if (timingSafeEqual(entry.digest, presented)) found = entry.name;
    }
    return found;
  }

  /** The holder of the token in an `Authorization: Bearer …` header value, or null. */
  authenticate(authorization: string | undefined): string | null {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
    return this.identify(match?.[1] ?? '');
  }
}

function digest(token: string): Buffer {
  // One call, without a Hash object: every request digests its token (BENCHMARKS.md, the replay front).
  return hash('sha256', token, 'buffer');
}
