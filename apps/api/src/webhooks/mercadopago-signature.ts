import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Mercado Pago's signature of a notification, checked as the Notifications page of Checkout API
 * (Orders) describes it, "Validate notification origin":
 * https://www.mercadopago.com.br/developers/en/docs/checkout-api-orders/notifications
 * The header `x-signature: ts=<time>,v1=<hex>`, where v1 is the HMAC-SHA256, keyed with the
 * application's secret, of the manifest `id:<data.id>;request-id:<x-request-id>;ts:<ts>;`.
 *
 * The page and Mercado Pago's official Node SDK (mercadopago/sdk-nodejs, WebhookSignatureValidator)
 * disagree on two details, so both readings are accepted:
 * - the page asks for an alphanumeric data.id in lower case, while the SDK signs it as received
 *   (which is what integrators found Orders notifications verify with): the manifest is tried
 *   with data.id as received, then lower-cased;
 * - the page's example ts is in milliseconds, while the SDK's tolerance check reads it as
 *   seconds: ts is read by its size (see `signedAtMs`). The manifest carries ts as sent.
 */

/** What a notification says about its own signature: headers and query as received, undefined when absent. */
export interface SignatureEvidence {
  /** The `x-signature` header. */
  signature: string | undefined;
  /** The `x-request-id` header. */
  requestId: string | undefined;
  /** `data.id` from the query string. */
  dataId: string | undefined;
}

/** One party whose secret may have signed the notification (a merchant). */
export interface SignatureCandidate<Owner> {
  owner: Owner;
  secret: string;
}

export type SignatureVerdict<Owner> =
  /** Missing, malformed, or made with none of the candidates' secrets. */
  | { kind: 'invalid' }
  /** Made with `owner`'s secret, but signed at a time further from now than the tolerance. */
  | { kind: 'stale'; owner: Owner }
  | { kind: 'valid'; owner: Owner; signed: SignedNotification };

/**
 * What the signature vouches for, as a whole: the same for every replay of one signed
 * notification, whatever body or topic comes with it, and different for each notification Mercado
 * Pago signs (a new x-request-id and ts), a resend included.
 */
export interface SignedNotification {
  /** SHA-256 (hex) of the manifest the signature verified: data.id, x-request-id and ts. */
  id: string;
  /** When the signature goes stale here: its signed time plus the tolerance, in milliseconds since the epoch. */
  untilMs: number;
}

/** The two parts of `x-signature` the check needs. */
export interface SignatureHeader {
  /** As sent: digits, in seconds or milliseconds. */
  ts: string;
  /** The HMAC-SHA256, 64 hex digits (either case). */
  v1: string;
}

/**
 * Above this, a ts is in milliseconds: 1e11 seconds is in the year 5138, 1e11 milliseconds in 1973,
 * so no plausible time is ambiguous.
 */
const MILLISECOND_TIMESTAMPS_FROM = 1e11;

const DIGITS = /^[0-9]+$/;
const SHA256_HEX = /^[0-9a-fA-F]{64}$/;

/**
 * `ts=…,v1=…` in any order, with spaces around parts, keys and values. Null when ts or v1 is
 * missing, repeated (two x-signature headers arrive joined by a comma), or not of their form.
 * Other keys are ignored: the page names only these two.
 */
export function parseSignatureHeader(header: string): SignatureHeader | null {
  const values = new Map<string, string>();
  for (const part of header.split(',')) {
    const separator = part.indexOf('=');
    if (separator < 0) continue;
    const key = part.slice(0, separator).trim();
    if (values.has(key)) return null;
    values.set(key, part.slice(separator + 1).trim());
  }
  const ts = values.get('ts');
  const v1 = values.get('v1');
  if (ts === undefined || v1 === undefined || !DIGITS.test(ts) || !SHA256_HEX.test(v1)) return null;
  return { ts, v1 };
}

/** When the notification was signed, in milliseconds since the epoch, whichever unit ts is in. */
export function signedAtMs(ts: string): number {
  const value = Number(ts);
  return value > MILLISECOND_TIMESTAMPS_FROM ? value : value * 1000;
}

/**
 * The manifest of one reading of data.id. A part whose value the notification lacks is left
 * out, as the page says to do.
 */
export function signatureManifest(dataId: string | undefined, requestId: string | undefined, ts: string): string {
  const part = (name: string, value: string | undefined) => (value === undefined || value === '' ? '' : `${name}:${value};`);
  return `${part('id', dataId)}${part('request-id', requestId)}ts:${ts};`;
}

/**
 * Which candidate's secret signed the notification, and whether it was signed within
 * `toleranceMs` of `nowMs`, in either direction (a clock ahead is no better than a replay).
 */
export function verifySignature<Owner>(evidence: SignatureEvidence, candidates: ReadonlyArray<SignatureCandidate<Owner>>, nowMs: number, toleranceMs: number): SignatureVerdict<Owner> {
  const header = evidence.signature === undefined ? null : parseSignatureHeader(evidence.signature);
  if (header === null) return { kind: 'invalid' };
  const readings = new Set([evidence.dataId, evidence.dataId?.toLowerCase()]);
  const manifests = [...readings].map((dataId) => signatureManifest(dataId, evidence.requestId, header.ts));
  const given = Buffer.from(header.v1, 'hex');
  for (const { owner, secret } of candidates) {
    const manifest = manifests.find((candidate) => timingSafeEqual(given, createHmac('sha256', secret).update(candidate).digest()));
    if (manifest === undefined) continue;
    const signedAt = signedAtMs(header.ts);
    if (Math.abs(nowMs - signedAt) > toleranceMs) return { kind: 'stale', owner };
    return { kind: 'valid', owner, signed: { id: createHash('sha256').update(manifest).digest('hex'), untilMs: signedAt + toleranceMs } };
  }
  return { kind: 'invalid' };
}
