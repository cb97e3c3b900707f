import { createHmac, randomInt, randomUUID } from 'node:crypto';
import type { ApiAnswer } from './api-client';
import { WEBHOOK_SECRET } from './stack';

/** How one notification is sent: by default as Mercado Pago sends an order's, signed now with the first merchant's secret. */
export interface NotificationOptions {
  /** `data.id` in the query; undefined leaves it out. */
  orderId?: string | undefined;
  /** `type` in the query. */
  topic?: string;
  secret?: string;
  /** The signed ts, as sent; now in seconds by default. */
  ts?: string;
  /** The data.id written into the signed manifest, when it differs from the query's (its lower-case form). */
  signedId?: string;
  requestId?: string;
  /** Replaces the computed x-signature header; null sends none. */
  signature?: string | null;
  body?: { contentType: string; text: string };
}

const ID_CHARACTERS = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A valid order id that names no order anywhere. */
export function randomOrderId(): string {
  return `ORD${Array.from({ length: 26 }, () => ID_CHARACTERS[randomInt(ID_CHARACTERS.length)]).join('')}`;
}

/** The body of an "Order (Mercado Pago)" notification about `orderId`'s change to `status`, at `version`. */
export function orderNotificationBody(orderId: string, status = 'processed', version = 3): { contentType: string; text: string } {
  const body = { action: `order.${status}`, api_version: 'v1', type: 'order', live_mode: false, data: { id: orderId, status, status_detail: 'accredited', type: 'online', version } };
  return { contentType: 'application/json', text: JSON.stringify(body) };
}

/** A payment id that names no payment anywhere: Wallet Connect payments have numeric ids. */
export function randomPaymentId(): string {
  return String(randomInt(1_000_000_000, 281_474_976_710_655));
}

/**
 * The body of a `payment` notification (Wallet Connect's payments): it names only the action and
 * the payment, and has an `id` of its own, which a resend keeps.
 */
export function paymentNotificationBody(paymentId: string, notificationId: number, action = 'payment.updated'): { contentType: string; text: string } {
  const body = { id: notificationId, action, api_version: 'v1', type: 'payment', live_mode: false, date_created: new Date().toISOString(), data: { id: paymentId } };
  return { contentType: 'application/json', text: JSON.stringify(body) };
}

/** A notification as `sendNotification` sends it: the webhook's path with its query, the headers and the body. */
export interface SignedNotification {
  path: string;
  headers: Record<string, string>;
  body: { contentType: string; text: string };
}

/**
 * A notification signed as the Notifications page of Checkout API (Orders) describes: HMAC-SHA256
 * of `id:<data.id>;request-id:<x-request-id>;ts:<ts>;`, written out here rather than borrowed from
 * the API's code, so the tests check the API against the page.
 */
export function signedNotification(options: NotificationOptions = {}): SignedNotification {
  const orderId = 'orderId' in options ? options.orderId : randomOrderId();
  const requestId = options.requestId ?? randomUUID();
  const ts = options.ts ?? String(Math.floor(Date.now() / 1000));
  const manifest = `${orderId === undefined ? '' : `id:${options.signedId ?? orderId};`}request-id:${requestId};ts:${ts};`;
  const signature =
    options.signature === undefined
      ? `ts=${ts},v1=${createHmac('sha256', options.secret ?? WEBHOOK_SECRET)
          .update(manifest)
          .digest('hex')}`
      : options.signature;
  const query = new URLSearchParams({ ...(orderId === undefined ? {} : { 'data.id': orderId }), type: options.topic ?? 'order' });
  const body = options.body ?? orderNotificationBody(orderId ?? randomOrderId());
  const headers: Record<string, string> = { 'x-request-id': requestId, 'content-type': body.contentType, ...(signature === null ? {} : { 'x-signature': signature }) };
  return { path: `/webhooks/mercadopago?${query}`, headers, body };
}

/** POSTs a notification to the API's webhook, by default as Mercado Pago sends an order's. */
export async function sendNotification(apiUrl: string, options: NotificationOptions = {}): Promise<ApiAnswer> {
  const { path, headers, body } = signedNotification(options);
  const response = await fetch(`${apiUrl}${path}`, { method: 'POST', headers, body: body.text });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, body: JSON.parse(text) as unknown };
}
