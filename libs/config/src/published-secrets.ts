import { createHash } from 'node:crypto';

/**
 * The variables that hold secrets: a token, a list of tokens, or a list of `name:secret` pairs
 * (API_TOKENS, OPERATOR_TOKENS, PAYLOAD_ENCRYPTION_KEYS). published-secrets.spec.ts checks that
 * every secret-looking variable of `.env.example` is here.
 */
export const SECRET_VARIABLES: readonly string[] = [
  'API_TOKENS',
  'OPERATOR_TOKENS',
  'CODEC_SESSION_SECRET',
  'METRICS_TOKEN',
  'UPSTREAM_ACCESS_TOKEN',
  'PAYLOAD_ENCRYPTION_KEYS',
  'SIMULATOR_ACCESS_TOKENS',
  'MERCADOPAGO_WEBHOOK_SECRET',
];

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
]);

export function secretDigest(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** The secrets in a secret variable's value: each list item, without its `name:` prefix if it has one. */
export function secretsIn(value: string): string[] {
  return value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '')
    .map((item) => item.slice(item.indexOf(':') + 1));
}

/** A secret variable, or a merchant's own copy of one (MERCHANT_ACME_API_TOKENS; libs/config/src/merchants.ts). */
export function isSecretVariable(name: string): boolean {
  return SECRET_VARIABLES.some((secret) => name === secret || (name.startsWith('MERCHANT_') && name.endsWith(`_${secret}`)));
}

/** Problems naming each secret variable set to a published value; the value itself is never echoed. */
export function publishedSecretProblems(present: Readonly<Record<string, string>>): string[] {
  return Object.keys(present)
    .filter((name) => isSecretVariable(name) && secretsIn(present[name]!).some((secret) => PUBLISHED_SECRET_DIGESTS.has(secretDigest(secret))))
    .map((name) => `${name} is invalid: it holds a value published in .env.example, which NODE_ENV=production refuses; set a secret of your own`);
}
