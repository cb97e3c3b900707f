import { loadApiConfig } from '../../api-config';
import { ClientAuthenticator } from './client-authenticator';

describe('ClientAuthenticator', () => {
  const authenticator = new ClientAuthenticator(
    loadApiConfig({
      UPSTREAM_ACCESS_TOKEN: 'APP_USR-merchant',
      API_TOKENS: 'checkout:token-a,marketplace:token-b',
      MERCHANTS: 'acme',
      MERCHANT_ACME_TEMPORAL_NAMESPACE: 'acme-payments',
      MERCHANT_ACME_UPSTREAM_ACCESS_TOKEN: 'APP_USR-acme',
      MERCHANT_ACME_API_TOKENS: 'acme-shop:token-c',
    }).merchants,
  );
  const callerOf = (header: string | undefined) => {
    const caller = authenticator.authenticate(header);
    return caller === null ? null : { clientId: caller.clientId, merchant: caller.merchant.name };
  };

  it('maps a bearer token to its client and that client to its merchant', () => {
    expect(callerOf('Bearer token-a')).toEqual({ clientId: 'checkout', merchant: 'default' });
    expect(callerOf('bearer   token-b')).toEqual({ clientId: 'marketplace', merchant: 'default' });
    expect(callerOf('Bearer token-c')).toEqual({ clientId: 'acme-shop', merchant: 'acme' });
  });

  it.each([undefined, '', 'token-a', 'Basic token-a', 'Bearer ', 'Bearer token-a extra', 'Bearer token-', 'Bearer token-aa'])('rejects %p', (header) => {
    expect(callerOf(header)).toBeNull();
  });
});
