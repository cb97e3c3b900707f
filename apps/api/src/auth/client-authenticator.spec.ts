import { loadApiConfig } from '../api-config';
import { ClientAuthenticator } from './client-authenticator';

describe('ClientAuthenticator', () => {
  const authenticator = new ClientAuthenticator(loadApiConfig({ UPSTREAM_ACCESS_TOKEN: 'APP_USR-merchant', API_TOKENS: 'checkout:token-a,marketplace:token-b' }));

  it('maps a bearer token to its client', () => {
    expect(authenticator.authenticate('Bearer token-a')).toBe('checkout');
    expect(authenticator.authenticate('bearer   token-b')).toBe('marketplace');
  });

  it.each([undefined, '', 'token-a', 'Basic token-a', 'Bearer ', 'Bearer token-a extra', 'Bearer token-', 'Bearer token-aa'])(
    'rejects %p',
    (header) => {
      expect(authenticator.authenticate(header)).toBeNull();
    },
  );
});
