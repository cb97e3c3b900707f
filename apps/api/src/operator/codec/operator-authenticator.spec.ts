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

    expect(authenticator.authenticate({})).toBe(LOCAL_OPERATOR);
    expect(authenticator.authenticate({ cookie: 'codec_session=forged' })).toBe(LOCAL_OPERATOR);
    expect(authenticator.authenticate({ authorization: `Bearer ${operatorToken}` })).toBe('operator');
    // A wrong token is a mistake to report, not a visitor to let in.
    expect(authenticator.authenticate({ authorization: 'Bearer wrong-token' })).toBeNull();
  });

  it('elsewhere wants a token or a session', () => {
    const authenticator = new OperatorAuthenticator(loadApiConfig({ ...local, CODEC_LOCAL_NO_SIGN_IN: 'false' }));

    expect(authenticator.authenticate({})).toBeNull();
    expect(authenticator.authenticate({ cookie: 'codec_session=forged' })).toBeNull();
    expect(authenticator.authenticate({ authorization: `Bearer ${operatorToken}` })).toBe('operator');
  });
});
