import { randomBytes } from 'node:crypto';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { AesGcmPayloadCodec, ENCRYPTED_ENCODING } from './aes-gcm-payload-codec';
import { encryptionKeysFrom, encryptionVariables, type EncryptionKeys } from './encryption-keys';

const keyA = randomBytes(32);
const keyB = randomBytes(32);
const keys = (activeKeyId: string, available: Record<string, Buffer>): EncryptionKeys => ({
  activeKeyId,
  keys: new Map(Object.entries(available)),
});
const payload = defaultPayloadConverter.toPayload({ card: { token: 'ff8080814c11e237014c1ff593b57b4d' }, amount: '200.00' });

describe('AesGcmPayloadCodec', () => {
  it('round-trips a payload, metadata included, without leaving its content readable', async () => {
    const codec = new AesGcmPayloadCodec(keys('a', { a: keyA }), 'refuse');

    const [encrypted] = await codec.encode([payload]);
    const [decrypted] = await codec.decode([encrypted!]);

    expect(Buffer.from(encrypted!.metadata!.encoding!).toString()).toBe(ENCRYPTED_ENCODING);
    expect(Buffer.from(encrypted!.data!).toString('latin1')).not.toContain('ff8080814c11e237014c1ff593b57b4d');
    expect(Buffer.from(encrypted!.data!).toString('latin1')).not.toContain('json/plain');
    expect(defaultPayloadConverter.fromPayload(decrypted!)).toEqual({ card: { token: 'ff8080814c11e237014c1ff593b57b4d' }, amount: '200.00' });
  });

  it('uses a fresh IV each time', async () => {
    const codec = new AesGcmPayloadCodec(keys('a', { a: keyA }), 'refuse');
    const [first, second] = await codec.encode([payload, payload]);
    expect(Buffer.from(first!.data!).equals(Buffer.from(second!.data!))).toBe(false);
  });

  it('decrypts with a retired key after rotation, and encrypts with the new one', async () => {
    const [old] = await new AesGcmPayloadCodec(keys('a', { a: keyA }), 'refuse').encode([payload]);
    const rotated = new AesGcmPayloadCodec(keys('b', { a: keyA, b: keyB }), 'refuse');

    const [decrypted] = await rotated.decode([old!]);
    const [fresh] = await rotated.encode([payload]);

    expect(defaultPayloadConverter.fromPayload(decrypted!)).toEqual(defaultPayloadConverter.fromPayload(payload));
    expect(Buffer.from(fresh!.metadata!['encryption-key-id']!).toString()).toBe('b');
  });

  it('refuses a payload whose key is unknown, or that was tampered with', async () => {
    const [encrypted] = await new AesGcmPayloadCodec(keys('a', { a: keyA }), 'refuse').encode([payload]);
    const tampered: Payload = { ...encrypted!, data: Buffer.from(encrypted!.data!).map((byte, index) => (index === 20 ? byte ^ 1 : byte)) };

    await expect(new AesGcmPayloadCodec(keys('b', { b: keyB }), 'refuse').decode([encrypted!])).rejects.toThrow(/unknown key "a"/);
    await expect(new AesGcmPayloadCodec(keys('a', { a: keyA }), 'refuse').decode([tampered])).rejects.toThrow();
  });

  it('refuses a payload whose tag was cut short', async () => {
    const codec = new AesGcmPayloadCodec(keys('a', { a: keyA }), 'refuse');
    const [encrypted] = await codec.encode([payload]);
    const shortened: Payload = { ...encrypted!, data: Buffer.from(encrypted!.data!).subarray(0, encrypted!.data!.length - 12) };
    const truncated: Payload = { ...encrypted!, data: Buffer.from(encrypted!.data!).subarray(0, 20) };

    await expect(codec.decode([shortened])).rejects.toThrow();
    await expect(codec.decode([truncated])).rejects.toThrow(/truncated/);
  });

  it('refuses payloads that are not encrypted, so nobody without the keys can plant a run', async () => {
    await expect(new AesGcmPayloadCodec(keys('a', { a: keyA }), 'refuse').decode([payload])).rejects.toThrow(/not encrypted/);
  });

  it('passes payloads that are not encrypted through unchanged when only displaying them', async () => {
    const [decoded] = await new AesGcmPayloadCodec(keys('a', { a: keyA }), 'pass').decode([payload]);
    expect(decoded).toBe(payload);
  });
});

describe('encryption configuration', () => {
  const parse = (value: string) => encryptionVariables.PAYLOAD_ENCRYPTION_KEYS.safeParse(value);

  it('reads key_id:base64 pairs of 32-byte keys', () => {
    const parsed = parse(`old:${keyA.toString('base64')}, new:${keyB.toString('base64')}`);
    expect(parsed.success && [...parsed.data!.keys()]).toEqual(['old', 'new']);
  });

  it.each(['no-separator', `:${keyA.toString('base64')}`, `short:${randomBytes(16).toString('base64')}`])('rejects %p without echoing it', (value) => {
    const parsed = parse(value);
    expect(parsed.success).toBe(false);
    expect(JSON.stringify(parsed.error)).not.toContain(value);
  });

  it('is off without keys, encrypts with the first key by default, and checks the active key id', () => {
    const available = new Map([
      ['old', keyA],
      ['new', keyB],
    ]);
    expect(encryptionKeysFrom({})).toBeNull();
    expect(encryptionKeysFrom({ PAYLOAD_ENCRYPTION_KEYS: available })?.activeKeyId).toBe('old');
    expect(encryptionKeysFrom({ PAYLOAD_ENCRYPTION_KEYS: available, PAYLOAD_ENCRYPTION_KEY_ID: 'new' })?.activeKeyId).toBe('new');
    expect(() => encryptionKeysFrom({ PAYLOAD_ENCRYPTION_KEYS: available, PAYLOAD_ENCRYPTION_KEY_ID: 'gone' })).toThrow(/gone/);
  });
});
