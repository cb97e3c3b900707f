import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { METADATA_ENCODING_KEY, type Payload, type PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import type { EncryptionKeys } from './encryption-keys';

export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const KEY_ID_METADATA = 'encryption-key-id';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const { Payload: PayloadMessage } = temporal.api.common.v1;

/**
 * What decoding does with a payload that is not encrypted: `refuse` it (the data converters of the
 * API and the worker: a run planted without the keys must not be executed or believed), or `pass`
 * it through unchanged (the operators' codec server and tools, which only display payloads).
 */
export type PlaintextPayloads = 'refuse' | 'pass';

/**
 * Encrypts whole payloads (metadata and data) with AES-256-GCM, so workflow inputs, results and
 * memos (order bodies, payer data, card tokens) are never stored in plain text by Temporal. Each
 * payload names the key that encrypted it, which is what makes key rotation possible.
 */
export class AesGcmPayloadCodec implements PayloadCodec {
  constructor(
    private readonly keys: EncryptionKeys,
    private readonly plaintext: PlaintextPayloads,
  ) {}

  encode(payloads: Payload[]): Promise<Payload[]> {
    const key = this.keys.keys.get(this.keys.activeKeyId)!;
    return settle(() =>
      payloads.map((payload) => {
        const iv = randomBytes(IV_BYTES);
        const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
        const plain = PayloadMessage.encode(payload).finish();
        const sealed = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
        return {
          metadata: {
            [METADATA_ENCODING_KEY]: Buffer.from(ENCRYPTED_ENCODING),
            [KEY_ID_METADATA]: Buffer.from(this.keys.activeKeyId),
          },
          data: sealed,
        };
      }),
    );
  }

  /** Decrypts what it encrypted; a payload that is not encrypted is refused or passed, as configured. */
  decode(payloads: Payload[]): Promise<Payload[]> {
    return settle(() =>
      payloads.map((payload) => {
        if (Buffer.from(payload.metadata?.[METADATA_ENCODING_KEY] ?? []).toString() !== ENCRYPTED_ENCODING) {
          if (this.plaintext === 'pass') return payload;
          throw new Error('payload is not encrypted although PAYLOAD_ENCRYPTION_KEYS is set: refused (was it written without the keys?)');
        }
        const keyId = Buffer.from(payload.metadata?.[KEY_ID_METADATA] ?? []).toString();
        const key = this.keys.keys.get(keyId);
        if (key === undefined) throw new Error(`payload encrypted with unknown key "${keyId}": add it to PAYLOAD_ENCRYPTION_KEYS`);
        const sealed = Buffer.from(payload.data ?? []);
        if (sealed.length < IV_BYTES + TAG_BYTES) throw new Error('encrypted payload is truncated');
        // A fixed tag length: otherwise GCM would accept a shortened (forgeable) tag.
        const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, IV_BYTES), { authTagLength: TAG_BYTES });
        decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
        const plain = Buffer.concat([decipher.update(sealed.subarray(IV_BYTES, sealed.length - TAG_BYTES)), decipher.final()]);
        return PayloadMessage.decode(plain);
      }),
    );
  }
}

/** Runs synchronous crypto work as a promise, so a failure (unknown key, tampering) is a rejection. */
function settle<T>(work: () => T): Promise<T> {
  return new Promise((resolve) => resolve(work()));
}

/** The codecs of a data converter (or of the codec server): none when encryption is off. */
export function payloadCodecs(keys: EncryptionKeys | null, plaintext: PlaintextPayloads = 'refuse'): PayloadCodec[] {
  return keys === null ? [] : [new AesGcmPayloadCodec(keys, plaintext)];
}
