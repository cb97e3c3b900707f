import { z } from 'zod';

const KEY_BYTES = 32;

/** The keys a codec may decrypt with, and the one it encrypts with. */
export interface EncryptionKeys {
  activeKeyId: string;
  keys: ReadonlyMap<string, Buffer>;
}

/**
 * Environment variables for payload encryption, shared by every process that talks to Temporal.
 * Rotation: add a new `id:key` pair, point PAYLOAD_ENCRYPTION_KEY_ID at it, and keep the old pair
 * for as long as runs encrypted with it are retained.
 */
export const encryptionVariables = {
  /** Comma-separated `key_id:base64` pairs, each key 32 random bytes (AES-256). Unset: no encryption. */
  PAYLOAD_ENCRYPTION_KEYS: z
    .string()
    .transform((value, context) => {
      const keys = new Map<string, Buffer>();
      for (const pair of value
        .split(',')
        .map((item) => item.trim())
        .filter((item) => item !== '')) {
        const separator = pair.indexOf(':');
        const keyId = pair.slice(0, separator);
        const key = Buffer.from(pair.slice(separator + 1), 'base64');
        if (separator < 1 || !/^[\w.-]+$/.test(keyId) || key.length !== KEY_BYTES) {
          // Never echo the pair: it holds a key.
          context.addIssue({ code: 'custom', message: `each item must be key_id:<${KEY_BYTES} bytes in base64>` });
          return z.NEVER;
        }
        keys.set(keyId, key);
      }
      return keys;
    })
    .optional(),
  /** Which of the keys encrypts new payloads; the others only decrypt. Defaults to the first. */
  PAYLOAD_ENCRYPTION_KEY_ID: z.string().min(1).optional(),
};

/** The configured keys, or null when encryption is off; a bad active key id is a configuration error. */
export function encryptionKeysFrom(config: {
  PAYLOAD_ENCRYPTION_KEYS?: ReadonlyMap<string, Buffer> | undefined;
  PAYLOAD_ENCRYPTION_KEY_ID?: string | undefined;
}): EncryptionKeys | null {
  const keys = config.PAYLOAD_ENCRYPTION_KEYS;
  if (keys === undefined || keys.size === 0) return null;
  const activeKeyId = config.PAYLOAD_ENCRYPTION_KEY_ID ?? [...keys.keys()][0]!;
  if (!keys.has(activeKeyId)) throw new Error(`PAYLOAD_ENCRYPTION_KEY_ID names "${activeKeyId}", which is not in PAYLOAD_ENCRYPTION_KEYS`);
  return { activeKeyId, keys };
}
