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
    const presented = digest(bearerToken(authorization));
    let found: string | null = null;
    for (const client of this.clients) {
      if (timingSafeEqual(client.tokenDigest, presented)) found = client.clientId;
    }
    return found;
  }
}

/** The token of an `Authorization: Bearer` value; empty, which no client can own, when there is none. */
export function bearerToken(authorization: string | undefined): string {
  return /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1] ?? '';
}

/** SHA-256 of a token: equal-length values that `timingSafeEqual` can compare. */
export function digest(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}
