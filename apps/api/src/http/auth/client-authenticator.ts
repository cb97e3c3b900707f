import { Inject, Injectable } from '@nestjs/common';
import type { Merchant } from '../../api-config';
import { MERCHANTS_SECTION, type MerchantsSection } from '../../api-config-sections';
import { NamedTokens } from './named-tokens';

/** Who sent a request: a checkout client, and the merchant it belongs to. */
export interface Caller {
  clientId: string;
  merchant: Merchant;
}

/** Maps a checkout client's bearer token (its merchant's API_TOKENS) to the client and its merchant. */
@Injectable()
export class ClientAuthenticator {
  private readonly tokens: NamedTokens;
  private readonly merchantOfClient: ReadonlyMap<string, Merchant>;

  constructor(@Inject(MERCHANTS_SECTION) merchants: MerchantsSection) {
    // Client names and tokens are unique across merchants (loadApiConfig), so one table holds them all.
    this.tokens = new NamedTokens(new Map(merchants.flatMap((merchant) => [...merchant.clients])));
    this.merchantOfClient = new Map(merchants.flatMap((merchant) => [...merchant.clients.keys()].map((client) => [client, merchant])));
  }

  /** The caller of an `Authorization: Bearer …` header value, or null. */
  authenticate(authorization: string | undefined): Caller | null {
    const clientId = this.tokens.authenticate(authorization);
    const merchant = clientId === null ? undefined : this.merchantOfClient.get(clientId);
    return clientId === null || merchant === undefined ? null : { clientId, merchant };
  }
}
