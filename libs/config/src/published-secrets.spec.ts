import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import { z } from 'zod';
import { ConfigError, loadConfig } from './load-config';
import { isSecretVariable, PUBLISHED_SECRET_DIGESTS, SECRET_VARIABLES, secretDigest, secretsIn } from './published-secrets';

const repoFile = (name: string): string => readFileSync(join(__dirname, '../../..', name), 'utf8');
const exampleText = repoFile('.env.example');
const example = parseEnv(exampleText);
/** The file with its commented-out assignments (`# NAME=value`) too: a value shown there is just as published. */
const shown = { ...parseEnv(commentedOutAssignments(exampleText)), ...example };

function commentedOutAssignments(text: string): string {
  return text
    .split('\n')
    .flatMap((line) => /^#\s*([A-Z][A-Z0-9_]*=.*)$/.exec(line)?.[1] ?? [])
    .join('\n');
}

describe('published secrets', () => {
  it('are exactly the secrets .env.example publishes, as digests', () => {
    const published = Object.keys(shown)
      .filter(isSecretVariable)
      .flatMap((name) => secretsIn(name, shown[name] ?? ''))
      .map(secretDigest);
    expect([...PUBLISHED_SECRET_DIGESTS].sort()).toEqual([...new Set(published)].sort());
  });

  it('cover every variable of .env.example whose name says it holds a secret, commented-out ones too', () => {
    // TEMPORAL_TLS_KEY holds the PATH of a key file, which is no secret (the file is).
    const secretLooking = Object.keys(shown).filter((name) => /(TOKENS?|KEYS?|SECRETS?|PASSWORD)$/.test(name) && name !== 'TEMPORAL_TLS_KEY');
    expect(secretLooking.filter((name) => !isSecretVariable(name))).toEqual([]);
    // And each secret variable is shown there, set or commented out, so its published value is known.
    expect(Object.keys(SECRET_VARIABLES).filter((name) => shown[name] === undefined)).toEqual([]);
  });
});

describe('loadConfig with NODE_ENV=production', () => {
  const shape = { API_TOKENS: z.string(), UPSTREAM_ACCESS_TOKEN: z.string(), PORT: z.coerce.number().optional() };
  const own = { API_TOKENS: 'checkout:a-secret-of-our-own', UPSTREAM_ACCESS_TOKEN: 'APP_USR-real-merchant' };

  it('refuses published secrets, naming each variable and never echoing the value', () => {
    const environment = { NODE_ENV: 'production', API_TOKENS: `shop:x, ${example.API_TOKENS!}`, UPSTREAM_ACCESS_TOKEN: example.UPSTREAM_ACCESS_TOKEN!, PORT: 'eighty' };
    const attempt = () => loadConfig(shape, environment);

    expect(attempt).toThrow(ConfigError);
    const { problems } = (() => {
      try {
        attempt();
      } catch (error) {
        return error as ConfigError;
      }
      throw new Error('unreachable');
    })();
    expect(problems.map((problem) => problem.split(' ')[0])).toEqual(['API_TOKENS', 'UPSTREAM_ACCESS_TOKEN', 'PORT']);
    for (const secret of [...secretsIn('API_TOKENS', example.API_TOKENS!), example.UPSTREAM_ACCESS_TOKEN!]) expect(problems.join('\n')).not.toContain(secret);
  });

  it("refuses a listed merchant's copy of a published secret", () => {
    const merchantShape = { MERCHANT_DEMO_UPSTREAM_ACCESS_TOKEN: z.string() };
    const environment = { NODE_ENV: 'production', MERCHANT_DEMO_UPSTREAM_ACCESS_TOKEN: example.UPSTREAM_ACCESS_TOKEN! };

    expect(() => loadConfig(merchantShape, environment)).toThrow(/MERCHANT_DEMO_UPSTREAM_ACCESS_TOKEN is invalid: it holds a value published/);
  });

  it.each([
    ['CLIENT_CALLBACK_SECRETS', `shop=${example.MERCADOPAGO_WEBHOOK_SECRET!}`],
    ['CLIENT_CALLBACK_SECRETS', JSON.stringify({ shop: example.MERCADOPAGO_WEBHOOK_SECRET! })],
    ['MERCHANT_DEMO_CLIENT_CALLBACK_SECRETS', `shop=own-secret-0123456789abcdef0123456789,office=${example.MERCADOPAGO_WEBHOOK_SECRET!}`],
    ['SIMULATOR_WEBHOOK_SECRETS', example.SIMULATOR_WEBHOOK_SECRETS!],
  ])('refuses %s holding a published secret in a client=secret pair', (name, value) => {
    expect(() => loadConfig({ [name]: z.string() }, { NODE_ENV: 'production', [name]: value })).toThrow(
      new RegExp(`^Invalid configuration:\\n  - ${name} is invalid: it holds a value published`),
    );
  });

  it("accepts secrets of one's own in production, and the published ones elsewhere", () => {
    expect(loadConfig(shape, { NODE_ENV: 'production', ...own })).toMatchObject(own);
    expect(loadConfig(shape, { NODE_ENV: 'development', ...example })).toMatchObject({ API_TOKENS: example.API_TOKENS });
    expect(loadConfig(shape, { ...example })).toMatchObject({ API_TOKENS: example.API_TOKENS });
  });
});
