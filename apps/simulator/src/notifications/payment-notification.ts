import type { AdvancedPayment } from '../advanced-payments/advanced-payment-model';
import { advancedPaymentStatus } from '../advanced-payments/advanced-payment-view';
import { rfc3339Millis } from '../clock';
import type { NotificationSubject } from './notifier';

/**
 * A change of an advanced payment, as Mercado Pago's `payment` topic notifies it (Webhooks,
 * https://www.mercadopago.com.br/developers/en/docs/your-integrations/notifications/webhooks):
 * `data.id` is the payment's id, the advanced payment's `payments[0].id`, and the body only names
 * it; a receiver reads the rest with `GET /v1/advanced_payments/{id}`. undefined when there is no
 * payment to name (insufficient money: no charge was attempted).
 */
export function paymentNotification(payment: AdvancedPayment): NotificationSubject | undefined {
  if (payment.chargeId === null) return undefined;
  const dataId = String(payment.chargeId);
  const action = payment.version === 1 ? 'payment.created' : 'payment.updated';
  const { status, statusDetail } = advancedPaymentStatus(payment);
  return {
    ownerToken: payment.ownerToken,
    topic: 'payment',
    dataId,
    summary: { order_id: null, action, status, status_detail: statusDetail, version: payment.version },
    // The page's example carries an `id` of the notification itself: each new one has its own, a resend keeps it.
    body: (nowMs, notificationId) => ({
      id: notificationId,
      action,
      api_version: 'v1',
      type: 'payment',
      data: { id: dataId },
      date_created: rfc3339Millis(nowMs),
      live_mode: false,
      // A number here, as in the page's example, where order notifications carry a string.
      user_id: payment.collectorId,
    }),
  };
}
