import { createHash, createHmac } from 'node:crypto';
import { parseSignatureHeader, signatureManifest, signedAtMs, verifySignature, type SignatureEvidence } from './mercadopago-signature';

const SECRET = 'merchant-webhook-secret';
const OTHER_SECRET = 'other-merchant-webhook-secret';
const ORDER_ID = 'ORD01J49MMW3SSBK5PSV3DFR32959';
const REQUEST_ID = 'bb56a2f1-6aae-46ac-982e-9dcd3581d08e';
const NOW_MS = Date.parse('2026-11-26T20:00:00Z');
const TOLERANCE_MS = 5 * 60 * 1000;
const candidates = [
  { owner: 'acme', secret: SECRET },
  { owner: 'other', secret: OTHER_SECRET },
];

/** Written out by hand from the Notifications page's template, independently of signatureManifest. */
const hmac = (secret: string, manifest: string) => createHmac('sha256', secret).update(manifest).digest('hex');
const seconds = (ms: number) => String(Math.floor(ms / 1000));

function evidence(overrides: Partial<SignatureEvidence> & { ts?: string; secret?: string; signedId?: string } = {}): SignatureEvidence {
  const ts = overrides.ts ?? seconds(NOW_MS);
  const v1 = hmac(overrides.secret ?? SECRET, `id:${overrides.signedId ?? ORDER_ID};request-id:${REQUEST_ID};ts:${ts};`);
  return { signature: `ts=${ts},v1=${v1}`, requestId: REQUEST_ID, dataId: ORDER_ID, ...overrides };
}

const verify = (given: SignatureEvidence) => verifySignature(given, candidates, NOW_MS, TOLERANCE_MS);
/** A valid verdict for `owner`, whatever it says was signed (its own test below). */
const valid = (owner: string) => ({ kind: 'valid', owner, signed: expect.objectContaining({ id: expect.stringMatching(/^[0-9a-f]{64}$/) as string }) as unknown });

describe('parseSignatureHeader', () => {
  const v1 = 'a'.repeat(64);

  it('reads ts and v1 in either order, with spaces around parts, keys and values', () => {
    expect(parseSignatureHeader(`ts=1742505638683,v1=${v1}`)).toEqual({ ts: '1742505638683', v1 });
    expect(parseSignatureHeader(` v1 = ${v1} ,  ts= 1742505638 `)).toEqual({ ts: '1742505638', v1 });
  });

  it('ignores parts it does not know', () => {
    expect(parseSignatureHeader(`ts=1742505638,v2=abc,v1=${v1}`)).toEqual({ ts: '1742505638', v1 });
  });

  it.each([
    ['no ts', `v1=${v1}`],
    ['no v1', 'ts=1742505638'],
    ['an empty header', ''],
    ['an empty ts', `ts=,v1=${v1}`],
    ['a ts that is not digits', `ts=-1742505638,v1=${v1}`],
    ['a ts with a fraction', `ts=1742505638.5,v1=${v1}`],
    ['a short v1', `ts=1742505638,v1=${v1.slice(2)}`],
    ['a long v1', `ts=1742505638,v1=${v1}00`],
    ['a v1 that is not hex', `ts=1742505638,v1=${'g'.repeat(64)}`],
    ['a repeated ts (two headers joined)', `ts=1742505638,v1=${v1}, ts=1742505639,v1=${v1}`],
    ['parts without =', `ts 1742505638, v1 ${v1}`],
  ])('refuses %s', (_case, header) => {
    expect(parseSignatureHeader(header)).toBeNull();
  });
});

describe('signedAtMs', () => {
  it('reads ts in seconds or milliseconds by its size', () => {
    expect(signedAtMs('1742505638')).toBe(1_742_505_638_000);
    expect(signedAtMs('1742505638683')).toBe(1_742_505_638_683);
    expect(signedAtMs('100000000000')).toBe(100_000_000_000_000);
    expect(signedAtMs('100000000001')).toBe(100_000_000_001);
  });
});

describe('signatureManifest', () => {
  it("follows the page's template, leaving out the parts a notification lacks", () => {
    expect(signatureManifest(ORDER_ID, REQUEST_ID, '1742505638')).toBe(`id:${ORDER_ID};request-id:${REQUEST_ID};ts:1742505638;`);
    expect(signatureManifest(undefined, REQUEST_ID, '1742505638')).toBe(`request-id:${REQUEST_ID};ts:1742505638;`);
    expect(signatureManifest(ORDER_ID, undefined, '1742505638')).toBe(`id:${ORDER_ID};ts:1742505638;`);
    expect(signatureManifest('', '', '1742505638')).toBe('ts:1742505638;');
  });
});

describe('verifySignature', () => {
  it("names the candidate whose secret signed the notification, whoever's it is", () => {
    expect(verify(evidence())).toEqual(valid('acme'));
    expect(verify(evidence({ secret: OTHER_SECRET }))).toEqual(valid('other'));
  });

  it('accepts data.id signed as received or lower-cased (the SDK and the page disagree)', () => {
    expect(verify(evidence({ signedId: ORDER_ID }))).toEqual(valid('acme'));
    expect(verify(evidence({ signedId: ORDER_ID.toLowerCase() }))).toEqual(valid('acme'));
    expect(verify(evidence({ signedId: 'ORD01J49MMW3SSBK5PSV3DFR3295X' }))).toEqual({ kind: 'invalid' });
  });

  it('accepts ts in seconds or in milliseconds, as signed', () => {
    expect(verify(evidence({ ts: seconds(NOW_MS) }))).toEqual(valid('acme'));
    expect(verify(evidence({ ts: String(NOW_MS) }))).toEqual(valid('acme'));
  });

  it('verifies notifications without x-request-id or data.id against the manifest without them', () => {
    const ts = seconds(NOW_MS);
    expect(verify({ signature: `ts=${ts},v1=${hmac(SECRET, `id:${ORDER_ID};ts:${ts};`)}`, requestId: undefined, dataId: ORDER_ID })).toEqual(valid('acme'));
    expect(verify({ signature: `ts=${ts},v1=${hmac(SECRET, `request-id:${REQUEST_ID};ts:${ts};`)}`, requestId: REQUEST_ID, dataId: undefined })).toEqual(valid('acme'));
    // Signed with a part the notification does not carry: not this notification's signature.
    expect(verify({ ...evidence(), requestId: undefined })).toEqual({ kind: 'invalid' });
  });

  it('takes hex digits in either case', () => {
    const given = evidence();
    expect(verify({ ...given, signature: given.signature!.toUpperCase().replace('TS=', 'ts=').replace('V1=', 'v1=') })).toEqual(valid('acme'));
  });

  it('refuses a missing header, a forged or altered v1, another secret, and a changed request', () => {
    const given = evidence();
    const v1 = /v1=(\w+)/.exec(given.signature!)![1]!;
    const flipped = `${v1.slice(0, -1)}${v1.endsWith('0') ? '1' : '0'}`;
    expect(verify({ ...given, signature: undefined })).toEqual({ kind: 'invalid' });
    expect(verify({ ...given, signature: `ts=${seconds(NOW_MS)},v1=${'0'.repeat(64)}` })).toEqual({ kind: 'invalid' });
    expect(verify({ ...given, signature: given.signature!.replace(v1, flipped) })).toEqual({ kind: 'invalid' });
    expect(verify({ ...given, signature: given.signature!.replace(v1, v1.slice(0, 62)) })).toEqual({ kind: 'invalid' });
    expect(verifySignature(evidence({ secret: 'a-secret-nobody-configured' }), candidates, NOW_MS, TOLERANCE_MS)).toEqual({ kind: 'invalid' });
    expect(verify({ ...given, dataId: 'ORD01J49MMW3SSBK5PSV3DFR32958' })).toEqual({ kind: 'invalid' });
    expect(verify({ ...given, requestId: 'another-request' })).toEqual({ kind: 'invalid' });
    // The signed ts is part of the manifest: moving it breaks the signature.
    expect(verify({ ...given, signature: given.signature!.replace(/ts=\d+/, `ts=${Number(seconds(NOW_MS)) + 1}`) })).toEqual({ kind: 'invalid' });
    expect(verifySignature(given, [], NOW_MS, TOLERANCE_MS)).toEqual({ kind: 'invalid' });
  });

  it('finds a signature stale beyond the tolerance, in either direction and either unit', () => {
    const hour = 60 * 60 * 1000;
    expect(verify(evidence({ ts: seconds(NOW_MS - hour) }))).toEqual({ kind: 'stale', owner: 'acme' });
    expect(verify(evidence({ ts: String(NOW_MS - hour) }))).toEqual({ kind: 'stale', owner: 'acme' });
    expect(verify(evidence({ ts: seconds(NOW_MS + hour) }))).toEqual({ kind: 'stale', owner: 'acme' });
    expect(verify(evidence({ ts: String(NOW_MS + hour) }))).toEqual({ kind: 'stale', owner: 'acme' });
    expect(verify(evidence({ ts: String(NOW_MS - TOLERANCE_MS) }))).toEqual(valid('acme'));
    expect(verify(evidence({ ts: String(NOW_MS + TOLERANCE_MS) }))).toEqual(valid('acme'));
    expect(verify(evidence({ ts: String(NOW_MS - TOLERANCE_MS - 1) }))).toEqual({ kind: 'stale', owner: 'acme' });
    expect(verify(evidence({ ts: String(NOW_MS + TOLERANCE_MS + 1) }))).toEqual({ kind: 'stale', owner: 'acme' });
  });

  it('names what was signed by the digest of its manifest, the same whatever else the replay changes, until the signature goes stale', () => {
    const ts = seconds(NOW_MS);
    const manifest = `id:${ORDER_ID};request-id:${REQUEST_ID};ts:${ts};`;
    const given = evidence({ ts });
    const expected = { id: createHash('sha256').update(manifest).digest('hex'), untilMs: NOW_MS + TOLERANCE_MS };
    expect(verify(given)).toEqual({ kind: 'valid', owner: 'acme', signed: expected });
    // v1 in upper case, another key, spaces: the same signed notification.
    const v1 = /v1=(\w+)/.exec(given.signature!)![1]!;
    expect(verify({ ...given, signature: ` v1=${v1.toUpperCase()} , ts=${ts}, v2=x` })).toEqual({ kind: 'valid', owner: 'acme', signed: expected });
    // A new request id or ts (Mercado Pago's resend, or its next notification) is another one.
    const resent = evidence({ ts: seconds(NOW_MS + 1000) });
    expect(verify(resent)).toMatchObject({ kind: 'valid', signed: { untilMs: NOW_MS + 1000 + TOLERANCE_MS } });
    expect((verify(resent) as { signed: { id: string } }).signed.id).not.toBe(expected.id);
  });

  it('checks the signature before the time: a stale forgery is invalid, not stale', () => {
    const ts = seconds(NOW_MS - 60 * 60 * 1000);
    expect(verify({ ...evidence({ ts }), signature: `ts=${ts},v1=${'0'.repeat(64)}` })).toEqual({ kind: 'invalid' });
  });
});
