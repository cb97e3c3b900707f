import { canonicalJson } from '@app/contracts';
import { requestFingerprint, upstreamIdempotencyKey, type FingerprintedRequest } from './request-fingerprint';

const request: FingerprintedRequest = {
  clientId: 'checkout',
  operation: 'order.process',
  orderId: 'ORD01J49MMW3SSBK5PSV3DFR32959',
  body: { b: 1, a: [{ y: 2, x: 1 }] },
};

describe('request fingerprints', () => {
  it('ignore the key order of JSON objects but not of arrays', () => {
    expect(canonicalJson({ b: 1, a: { d: null, c: 'x' } })).toBe('{"a":{"c":"x","d":null},"b":1}');
    expect(canonicalJson([2, 1])).toBe('[2,1]');
    expect(requestFingerprint({ ...request, body: { a: [{ x: 1, y: 2 }], b: 1 } })).toBe(requestFingerprint(request));
  });

  it.each<[string, Partial<FingerprintedRequest>]>([
    ['client', { clientId: 'marketplace' }],
    ['order', { orderId: 'ORD01J49MMW3SSBK5PSV3DFR32958' }],
    ['body', { body: { b: 2, a: [{ y: 2, x: 1 }] } }],
    ['absent body', { body: null }],
  ])('change with the %s', (_part, change) => {
    expect(requestFingerprint({ ...request, ...change })).not.toBe(requestFingerprint(request));
  });

  it('derive a 64-character upstream key, stable for one key and request, different across keys', () => {
    const fingerprint = requestFingerprint(request);
    const upstreamKey = upstreamIdempotencyKey('client-key-1', fingerprint);

    expect(upstreamKey).toMatch(/^[0-9a-f]{64}$/);
    expect(upstreamIdempotencyKey('client-key-1', fingerprint)).toBe(upstreamKey);
    expect(upstreamIdempotencyKey('client-key-2', fingerprint)).not.toBe(upstreamKey);
  });
});
