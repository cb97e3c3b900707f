import { createHmac } from 'node:crypto';
import type { ManifestIdCase, TimestampUnit } from './notification-settings';

/**
 * The `x-signature` header of a notification, as described on Mercado Pago's "Notifications" page
 * of Checkout API Orders (docs/checkout-api-orders/notifications; reference §6): `ts=<ts>,v1=<hex>`,
 * where v1 is the HMAC-SHA256, keyed with the application's secret, of the manifest
 * `id:<data.id>;request-id:<x-request-id>;ts:<ts>;`.
 */
export interface SignatureInput {
  dataId: string;
  requestId: string;
  ts: string;
  secret: string;
  idCase: ManifestIdCase;
}

export function signatureManifest({ dataId, requestId, ts, idCase }: Omit<SignatureInput, 'secret'>): string {
  const id = idCase === 'lower' ? dataId.toLowerCase() : dataId;
  return `id:${id};request-id:${requestId};ts:${ts};`;
}

export function signatureHeader(input: SignatureInput): string {
  const v1 = createHmac('sha256', input.secret).update(signatureManifest(input)).digest('hex');
  return `ts=${input.ts},v1=${v1}`;
}

/** The `ts` of a signature for the time `epochMs`, in the chosen unit. */
export function signatureTimestamp(epochMs: number, unit: TimestampUnit): string {
  return String(Math.floor(unit === 'seconds' ? epochMs / 1000 : epochMs));
}
