import { hash } from 'node:crypto';
import { canonicalJson, type JsonValue, type PaymentOperation } from '@app/contracts';

/** What makes two requests "the same request" for one idempotency key. */
export interface FingerprintedRequest {
  clientId: string;
  operation: PaymentOperation;
  orderId: string | null;
  body: JsonValue | null;
}

/** SHA-256 of a canonical form: object keys sorted, so key order in a client's JSON never matters. */
export function requestFingerprint(request: FingerprintedRequest): string {
  return sha256(canonicalJson([request.clientId, request.operation, request.orderId, request.body]));
}

/**
 * The X-Idempotency-Key we send upstream: the same for every attempt and every run of one
 * (key, request) pair, so the upstream replays instead of acting twice; 64 hex characters, within
 * Mercado Pago's limit whatever the length of the caller's key.
 */
export function upstreamIdempotencyKey(idempotencyKey: string, fingerprint: string): string {
  return sha256(`${idempotencyKey}\n${fingerprint}`);
}

function sha256(text: string): string {
  // One call, without a Hash object: every replay fingerprints its request (BENCHMARKS.md, the replay front).
  return hash('sha256', text, 'hex');
}
