import { ordersErrorAnswer } from '../http/dialects/orders-dialect';
import type { HttpAnswer } from '../http/problems/http-answer';
import type { NotificationResult } from './notification-intake.service';

/**
 * What Mercado Pago is answered. It resends a notification until it gets a 200 or 201 (the
 * Notifications page), so everything it need not resend is a 200, even for an order this API
 * never saw; only a failure to pass the notification on is a 500, to have it sent again. A
 * signature that does not hold gets 401 in the checkout port's error format (the Orders one),
 * with a code of its own for each reason. The bodies are small: Mercado Pago reads only the status.
 */
export function notificationAnswer(result: NotificationResult): HttpAnswer {
  switch (result) {
    case 'bad_signature':
      return ordersErrorAnswer('invalid_signature');
    case 'stale':
      return ordersErrorAnswer('stale_signature');
    case 'unavailable':
      return { status: 500, body: { result } };
    case 'accepted':
    case 'duplicate':
    case 'unknown_order':
    case 'unknown_payment':
    case 'ignored_topic':
      return { status: 200, body: { result } };
  }
}
