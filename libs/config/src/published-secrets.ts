import { createHash } from 'node:crypto';

/**
 * How a secret variable holds its secrets: `items`, one secret or a comma-separated list of them;
 * `name:secret` or `name=secret`, a list of pairs, the secret after the first separator (the
 * `client=secret` lists may also be a JSON object, libs/config/src/callback-config.ts).
 */
export type SecretLayout = 'items' | 'name:secret' | 'name=secret';

/**
 * The variables that hold secrets, with their layout. published-secrets.spec.ts checks that every
 * secret-looking variable of `.env.example` (…TOKEN(S), …KEY(S), …SECRET(S), …PASSWORD) is here.
 */
export const SECRET_VARIABLES: Readonly<Record<string, SecretLayout>> = {
  API_TOKENS: 'name:secret',
  OPERATOR_TOKENS: 'name:secret',
  CODEC_SESSION_SECRET: 'items',
  METRICS_TOKEN: 'items',
  UPSTREAM_ACCESS_TOKEN: 'items',
  PAYLOAD_ENCRYPTION_KEYS: 'name:secret',
  SIMULATOR_ACCESS_TOKENS: 'items',
  MERCADOPAGO_WEBHOOK_SECRET: 'items',
  CLIENT_CALLBACK_SECRETS: 'name=secret',
  SIMULATOR_WEBHOOK_SECRETS: 'name=secret',
  TEMPORAL_API_KEY: 'items',
};

/**
 * SHA-256 (hex) of each secret `.env.example` publishes, commented-out examples included: anyone
 * who has read the file holds them.
 * The file does not ship in the image (the Dockerfile copies only `dist` and `node_modules`), so
 * the digests live here; published-secrets.spec.ts derives them from the file, so the two cannot
 * drift, and digests keep the values themselves out of the code that guards against them.
 */
export const PUBLISHED_SECRET_DIGESTS: ReadonlySet<string> = new Set([
  '15886888bc06a6d34a66f8f728ee6e48b5e1bbec206f5e22938ef09e0b9752f4',
  '855e3be9f196675446c9369ea2b916a8530a37420f5407081cfa62dfc3ced5e5',
  '94c1bb3a49e86ff1b59a0b7eb9b8be25a32c632cab9b8cd3526a269eff345a2c',
  '1da03e4923d355ed97aa85f7c61a12f051935463fe838519a3f68b57171a2bd2',
  '5eeabf28f37f4bc1ccb15b8c07b9854aae46b849618a3926ae833f4412d4f34c',
  '42d5cbbeff463aa62b9133cafa6f8e2de6deae1c7e3696caec9f87a217671c23',
  'd6b0f443e9db65b6ced4c05a5a3d5af256d8adf45f8288637e23f7bdb5238916',
  'fba39e80032d9e0d0066ccbcc8432354ca266f9f64772122b43a4d67bede031e',
  '117ba69c2ebbdc622f123e436b5ee0d4fc9aceb7a5cbe5fdad775a6e65da8bec',
]);

export function secretDigest(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** The variable of SECRET_VARIABLES that `name` is, or a merchant's own copy of (MERCHANT_ACME_API_TOKENS; libs/config/src/merchants.ts). */
function secretVariableOf(name: string): string | undefined {
  return Object.keys(SECRET_VARIABLES).find((secret) => name === secret || (name.startsWith('MERCHANT_') && name.endsWith(`_${secret}`)));
}

export function isSecretVariable(name: string): boolean {
  return secretVariableOf(name) !== undefined;
}

/** The secrets in a secret variable's value: each item, without its `name:` or `name=` prefix if its layout has one. */
export function secretsIn(name: string, value: string): string[] {
  const layout = SECRET_VARIABLES[secretVariableOf(name) ?? ''] ?? 'items';
  if (layout === 'name=secret' && value.trimStart().startsWith('{')) return jsonObjectValues(value);
  const separator = layout === 'items' ? null : layout[4]!;
  return value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '')
    .map((item) => (separator === null ? item : item.slice(item.indexOf(separator) + 1)));
}

/** The string values of a JSON object, or none when the text is not one (the variable's own schema names that problem). */
function jsonObjectValues(text: string): string[] {
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? Object.values(parsed).filter((value): value is string => typeof value === 'string') : [];
  } catch {
    return [];
  }
}

/** Problems naming each secret variable set to a published value; the value itself is never echoed. */
export function publishedSecretProblems(present: Readonly<Record<string, string>>): string[] {
  return Object.keys(present)
    .filter((name) => isSecretVariable(name) && secretsIn(name, present[name]!).some((secret) => PUBLISHED_SECRET_DIGESTS.has(secretDigest(secret))))
    .map((name) => `${name} is invalid: it holds a value published in .env.example, which NODE_ENV=production refuses; set a secret of your own`);
}

/** Whether every secret `value` holds (at least one) is published in .env.example: anyone may hold them already. */
export function holdsOnlyPublishedSecrets(name: string, value: string): boolean {
  const secrets = secretsIn(name, value);
  return secrets.length > 0 && secrets.every((secret) => PUBLISHED_SECRET_DIGESTS.has(secretDigest(secret)));
}
