import { Inject, Injectable } from '@nestjs/common';
import { API_CONFIG, type ApiConfig } from '../api-config';
import { NamedTokens } from './named-tokens';

/** Maps a checkout client's bearer token (API_TOKENS) to its client id. */
@Injectable()
export class ClientAuthenticator extends NamedTokens {
  constructor(@Inject(API_CONFIG) config: ApiConfig) {
    super(config.API_TOKENS);
  }
}
