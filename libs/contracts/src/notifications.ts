import { defineSignal } from '@temporalio/workflow';
import type { FollowedTopic } from './follow-up';

/**
 * One notification about the followed resource, as the webhook passes it on after checking its
 * signature. Only a hint: the follow-up reads the resource to learn its state, so a notification's
 * body is never trusted and never makes anything write upstream.
 */
export interface UpstreamNotification {
  /** What changed, as the notification names it (action, status, detail, version): equal for duplicates. */
  change: string;
  /** ISO 8601 time the API received it. */
  receivedAt: string;
  /**
   * What Mercado Pago signed (absent from notifications passed on before it was sent): `id`, the
   * SHA-256 of the signature's manifest (data.id, x-request-id, ts), the same for every replay of
   * one signed notification whatever body comes with it; `until`, the ISO 8601 time after which
   * the API refuses that signature as stale, so the follow-up need not remember it longer.
   */
  signed?: { id: string; until: string };
}

/** A notification of topic `order`, to an order's follow-up. */
export const orderNotificationSignal = defineSignal<[UpstreamNotification]>('orderNotification');
/** A notification of topic `payment`, to a Wallet Connect payment's follow-up. */
export const paymentNotificationSignal = defineSignal<[UpstreamNotification]>('paymentNotification');

/** The signal that carries a notification of `topic` to its follow-up. */
export function notificationSignalOf(topic: FollowedTopic) {
  return topic === 'order' ? orderNotificationSignal : paymentNotificationSignal;
}
