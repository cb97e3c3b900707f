import { createHash, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { API_CONFIG, type ApiConfig } from '../api-config';

interface KnownClient {
  clientId: string;
  tokenDigest: Buffer;
}

/**
 * Maps a bearer token to the client that owns it. Tokens are compared as SHA-256 digests in
 * constant time, against every known client, so neither length nor position leaks through timing.
 */
@Injectable()
export class ClientAuthenticator {
  private readonly clients: readonly KnownClient[];

  constructor(@Inject(API_CONFIG) config: ApiConfig) {
    this.clients = [...config.API_TOKENS].map(([clientId, token]) => ({ clientId, tokenDigest: digest(token) }));
  }

  /** Returns the client id for an `Authorization` header value, or null when it names no client. */
  authenticate(authorization: string | undefined): string | null {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
    // No token digests like the empty string, which no client can own (tokens are non-empty).
    const presented = digest(match?.[1] ?? '');
    let found: string | null = null;
    for (const client of this.clients) {
      if (timingSafeEqual(client.tokenDigest, presented)) found = client.clientId;
    }
    return found;
  }
}

function digest(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}
