import { checkIdempotencyKey } from '../../contracts/src/idempotency-key';
import { isValidOrderId } from './order-id';
import type { PaymentOperation } from '../../contracts/src/payment-operation';
import type { UpstreamRequest } from '../../contracts/src/upstream';

/**
 * The one upstream route of each payment write, declared once: the API builds attempts from it and
 * the worker refuses any attempt that does not match it. Mercado Pago's Orders API: POST /v1/orders
 * and POST /v1/orders/{id}/{process|capture|cancel|refund}; Wallet Connect: POST /v1/advanced_payments.
 */
interface UpstreamRoute {
  /** The order action, for routes under /v1/orders/{id}/; null for routes without an order id. */
  orderAction: string | null;
  /** The fixed path of a route without an order id. */
  fixedPath: string | null;
  /** Whether the write may carry a JSON body (process, capture and cancel take none). */
  takesBody: boolean;
}

const orderAction = (action: string, takesBody = false): UpstreamRoute => ({ orderAction: action, fixedPath: null, takesBody });

const upstreamRoutes: { readonly [Operation in PaymentOperation]: UpstreamRoute } = {
  'order.create': { orderAction: null, fixedPath: '/v1/orders', takesBody: true },
  'order.process': orderAction('process'),
  'order.capture': orderAction('capture'),
  'order.cancel': orderAction('cancel'),
  'order.refund': orderAction('refund', true),
  'advanced_payment.create': { orderAction: null, fixedPath: '/v1/advanced_payments', takesBody: true },
};

/** The upstream path of an operation; `orderId` must be a valid order id exactly when the route has one. */
export function upstreamPathOf(operation: PaymentOperation, orderId: string | null): string {
  const route = upstreamRoutes[operation];
  if (route.orderAction === null) return route.fixedPath!;
  if (orderId === null || !isValidOrderId(orderId)) throw new Error(`${operation} needs a valid order id`);
  return `/v1/orders/${orderId}/${route.orderAction}`;
}

/**
 * Why an attempt is not one the API could have built, or null when it is. Workflow inputs come from
 * whoever can start a workflow, so the worker checks them before it lends them the merchant's token.
 */
export function forbiddenUpstreamRequest(request: UpstreamRequest): string | null {
  // Own properties only: `constructor` or `__proto__` must not pass for an operation.
  if (!Object.hasOwn(upstreamRoutes, request.operation)) return `unknown operation ${JSON.stringify(request.operation)}`;
  const route = upstreamRoutes[request.operation];
  if (request.method !== 'POST') return `${request.operation} is a POST, not ${JSON.stringify(request.method)}`;
  const orderId = route.orderAction === null ? null : /^\/v1\/orders\/([^/]+)\//.exec(request.path)?.[1];
  if (orderId === undefined || (orderId !== null && !isValidOrderId(orderId)) || request.path !== upstreamPathOf(request.operation, orderId)) {
    return `path ${JSON.stringify(request.path)} is not the route of ${request.operation}`;
  }
  if (checkIdempotencyKey(request.idempotencyKey) !== 'valid') return 'the upstream idempotency key is not 1–64 visible ASCII characters';
  if (request.body !== undefined && !route.takesBody) return `${request.operation} takes no body`;
  if (request.body !== undefined && (typeof request.body !== 'object' || request.body === null || Array.isArray(request.body))) {
    return 'the body is not a JSON object';
  }
  return null;
}

/**
 * The attempt's URL under the configured base (which may carry a path prefix). Throws when the
 * result would leave the base's origin or prefix: the merchant's token goes nowhere else.
 */
export function upstreamUrl(baseUrl: string, path: string): URL {
  const base = new URL(baseUrl);
  const prefix = base.pathname.replace(/\/+$/, '');
  const url = new URL(`${prefix}${path}`, base.origin);
  if (url.origin !== base.origin || url.pathname !== `${prefix}${path}`) {
    throw new Error(`path ${JSON.stringify(path)} leaves the upstream base ${base.origin}${prefix}`);
  }
  return url;
}

/**
 * Wallet Connect's advanced payments, and the payments they carry, have positive integer ids (Wallet
 * Connect "Get payment information"); at most 19 digits fit a 64-bit id.
 */
export function isValidNumericId(id: string): boolean {
  return /^[1-9]\d{0,18}$/.test(id);
}
