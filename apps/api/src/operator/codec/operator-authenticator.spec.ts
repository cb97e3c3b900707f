import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import { repoRoot } from '../../../../../scripts/lib/paths';
import { loadApiConfig } from '../../api-config';
import { LOCAL_OPERATOR, OperatorAuthenticator } from './operator-authenticator';

describe('OperatorAuthenticator', () => {
  const local = parseEnv(readFileSync(join(repoRoot, '.env.example'), 'utf8'));
  const operatorToken = local.OPERATOR_TOKENS!.split(':')[1]!;

  it("on the local stack (CODEC_LOCAL_NO_SIGN_IN) lets the Web UI's requests without a session through, as the local operator", () => {
    const authenticator = new OperatorAuthenticator(loadApiConfig(local));

    for (const host of ['127.0.0.1:3002', 'localhost:3002', '[::1]:3002']) {
      expect(authenticator.authenticate({ host })).toBe(LOCAL_OPERATOR);
      expect(authenticator.authenticate({ host, cookie: 'codec_session=forged' })).toBe(LOCAL_OPERATOR);
    }
    expect(authenticator.authenticate({ host: '127.0.0.1:3002', authorization: `Bearer ${operatorToken}` })).toBe('operator');
    // A wrong token is a mistake to report, not a visitor to let in.
    expect(authenticator.authenticate({ host: '127.0.0.1:3002', authorization: 'Bearer wrong-token' })).toBeNull();
  });

  it('on the local stack still wants a sign-in from a request to another name (a site rebinding its name to 127.0.0.1)', () => {
    const authenticator = new OperatorAuthenticator(loadApiConfig(local));

    expect(authenticator.authenticate({ host: 'attacker.example:3002' })).toBeNull();
    expect(authenticator.authenticate({})).toBeNull();
  });

  it('elsewhere wants a token or a session', () => {
    const authenticator = new OperatorAuthenticator(loadApiConfig({ ...local, CODEC_LOCAL_NO_SIGN_IN: 'false' }));

    expect(authenticator.authenticate({ host: '127.0.0.1:3002' })).toBeNull();
    expect(authenticator.authenticate({ host: '127.0.0.1:3002', cookie: 'codec_session=forged' })).toBeNull();
    expect(authenticator.authenticate({ host: '127.0.0.1:3002', authorization: `Bearer ${operatorToken}` })).toBe('operator');
  });
});
