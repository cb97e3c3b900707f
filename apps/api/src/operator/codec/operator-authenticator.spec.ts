import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import { repoRoot } from '../../../../../scripts/lib/paths';
import { loadApiConfig } from '../../api-config';
import { apiConfigSections, OPERATOR_SECTION } from '../../api-config-sections';
import { LOCAL_OPERATOR, OperatorAuthenticator } from './operator-authenticator';

describe('OperatorAuthenticator', () => {
  const authenticatorOf = (environment: NodeJS.ProcessEnv) => new OperatorAuthenticator(apiConfigSections(loadApiConfig(environment))[OPERATOR_SECTION]);
  const local = parseEnv(readFileSync(join(repoRoot, '.env.example'), 'utf8'));
  const operatorToken = local.OPERATOR_TOKENS!.split(':')[1]!;

  it("on the local stack (CODEC_LOCAL_NO_SIGN_IN) lets the Web UI's requests without a session through, as the local operator", () => {
    const authenticator = authenticatorOf(local);

    for (const host of ['127.0.0.1:3002', 'localhost:3002', '[::1]:3002']) {
      expect(authenticator.authenticate({ host })).toBe(LOCAL_OPERATOR);
      expect(authenticator.authenticate({ host, cookie: 'codec_session=forged' })).toBe(LOCAL_OPERATOR);
    }
    expect(authenticator.authenticate({ host: '127.0.0.1:3002', authorization: `Bearer ${operatorToken}` })).toBe('operator');
    // A wrong token is a mistake to report, not a visitor to let in.
    expect(authenticator.authenticate({ host: '127.0.0.1:3002', authorization: 'Bearer wrong-token' })).toBeNull();
  });

  it('on the local stack still wants a sign-in from a request to another name (a site rebinding its name to 127.0.0.1)', () => {
    const authenticator = authenticatorOf(local);

    expect(authenticator.authenticate({ host: 'attacker.example:3002' })).toBeNull();
    expect(authenticator.authenticate({})).toBeNull();
  });

  it('elsewhere wants a token or a session', () => {
    const authenticator = authenticatorOf({ ...local, CODEC_LOCAL_NO_SIGN_IN: 'false' });

    expect(authenticator.authenticate({ host: '127.0.0.1:3002' })).toBeNull();
    expect(authenticator.authenticate({ host: '127.0.0.1:3002', cookie: 'codec_session=forged' })).toBeNull();
    expect(authenticator.authenticate({ host: '127.0.0.1:3002', authorization: `Bearer ${operatorToken}` })).toBe('operator');
  });
});
