import type { JsonObject } from '@app/contracts/json';
import { numericIdFor } from '../auth/access-tokens';
import { rfc3339Millis } from '../clock';
import type { Order } from '../orders/order-model';
import type { NotificationSubject } from './notifier';

/** An order change, as the notifier sends it: `type=order`, `data.id` the order's id. */
export function orderNotification(order: Order): NotificationSubject {
  return {
    ownerToken: order.ownerToken,
    topic: 'order',
    dataId: order.id,
    summary: { order_id: order.id, action: notificationAction(order), status: order.status, status_detail: order.statusDetail, version: order.version },
    body: (nowMs) => notificationBody(order, nowMs),
  };
}

/** `order.<status>`: the reference lists order.processed and order.action_required as observed (§6). */
function notificationAction(order: Order): string {
  return `order.${order.status}`;
}

/**
 * The body Mercado Pago posts for an order change (reference §6). It names the order and its new
 * status; receivers are expected to read the order for the rest. `application_id` is derived from
 * the owner's access token, which stands for one merchant's application here.
 */
function notificationBody(order: Order, epochMs: number): JsonObject {
  const data: JsonObject = {
    id: order.id,
    ...(order.externalReference === undefined ? {} : { external_reference: order.externalReference }),
    status: order.status,
    status_detail: order.statusDetail,
    type: 'online',
    version: order.version,
  };
  return {
    action: notificationAction(order),
    api_version: 'v1',
    type: 'order',
    application_id: String(numericIdFor(`application:${order.ownerToken}`)),
    user_id: order.userId,
    live_mode: false,
    date_created: rfc3339Millis(epochMs),
    data,
  };
}
