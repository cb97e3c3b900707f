import { isValidOrderId } from '../ids';
import { noEffect, type ApiRequest, type ApiResult, type ApiRoute } from '../api-route';
import { numericIdFor } from '../auth/access-tokens';
import type { CardTokenStore } from '../card-tokens/card-token-store';
import type { Clock } from '../clock';
import { ordersDialect } from '../errors/error-dialect';
import { ordersCause, ordersError, ordersErrors, ordersErrorStatus } from '../errors/orders-errors';
import { newOrderId, newPaymentId, newReferenceId } from '../ids';
import { cancelOrder, captureOrder, chargePayments, failedPaymentDetails, processOrder, refundOrder, type Transition } from './order-lifecycle';
import type { Order, OrderPayment } from './order-model';
import { readCreateOrderRequest, readRefundRequest } from './order-requests';
import type { OrderStore } from './order-store';
import { orderView } from './order-view';

export interface OrderRouteDependencies {
  orders: OrderStore;
  cardTokens: CardTokenStore;
  clock: Clock;
}

/** The Orders API: create, get, process, capture, cancel and refund. */
export function orderRoutes({ orders, cardTokens, clock }: OrderRouteDependencies): ApiRoute[] {
  const outcomeFor = (accessToken: string) => (payment: OrderPayment) => cardTokens.outcomeFor(payment.paymentMethod.token, accessToken);

  /** Validates and looks up the path's order, then lets `act` answer for it. */
  const withOrder =
    (act: (order: Order, request: ApiRequest) => ApiResult) =>
    (request: ApiRequest): ApiResult => {
      const id = request.params.id ?? '';
      if (!isValidOrderId(id)) return { ...noEffect(ordersError('invalid_path_param')), orderId: id };
      const order = orders.find(id, request.accessToken);
      if (!order) return { ...noEffect(ordersError('order_not_found')), orderId: id };
      return { orderId: id, ...act(order, request) };
    };

  /** Stores a moved order and answers with it, or answers the refusal. */
  const settle = (transition: Transition, successStatus: number): ApiResult => {
    if (transition.kind === 'refused') return noEffect(ordersError(transition.code, transition.details));
    orders.save(transition.order);
    return answerWithOrder(transition.order, successStatus);
  };

  const applying = (successStatus: number, transition: (order: Order, request: ApiRequest) => Transition) =>
    withOrder((order, request) => settle(transition(order, request), successStatus));

  const orderRoute = (template: string, handle: ApiRoute['handle']): ApiRoute => ({
    method: 'POST',
    template,
    dialect: ordersDialect,
    requiresIdempotencyKey: true,
    orderIdInPath: true,
    handle,
  });

  return [
    {
      method: 'POST',
      template: '/v1/orders',
      dialect: ordersDialect,
      requiresIdempotencyKey: true,
      orderIdInPath: false,
      handle: ({ body, accessToken }) => {
        const reading = readCreateOrderRequest(body);
        if (reading.kind === 'invalid') return noEffect(ordersErrors(reading.errors));
        const { request } = reading;
        const now = clock.nowMs();
        const created: Order = {
          id: newOrderId(),
          ownerToken: accessToken,
          userId: String(numericIdFor(accessToken)),
          processingMode: request.processingMode,
          captureMode: request.captureMode,
          externalReference: request.externalReference,
          totalCents: request.totalCents,
          status: 'created',
          statusDetail: 'created',
          createdAtMs: now,
          updatedAtMs: now,
          version: 1,
          description: request.description,
          items: request.items,
          expirationTime: request.expirationTime,
          payments: request.payments.map((payment) => ({
            id: newPaymentId(),
            referenceId: newReferenceId(),
            amountCents: payment.amountCents,
            refundedCents: 0,
            status: 'created',
            statusDetail: 'created',
            paymentMethod: payment.paymentMethod,
          })),
          refunds: [],
        };
        // Automatic orders are created and processed in one call.
        const order = request.processingMode === 'automatic' ? chargePayments(created, outcomeFor(accessToken), now) : created;
        orders.save(order);
        return answerWithOrder(order, 201);
      },
    },
    {
      method: 'GET',
      template: '/v1/orders/{id}',
      dialect: ordersDialect,
      requiresIdempotencyKey: false,
      orderIdInPath: true,
      handle: withOrder((order) => noEffect({ status: 200, body: orderView(order) })),
    },
    orderRoute(
      '/v1/orders/{id}/process',
      applying(200, (order, { accessToken }) => processOrder(order, outcomeFor(accessToken), clock.nowMs())),
    ),
    orderRoute(
      '/v1/orders/{id}/capture',
      applying(200, (order) => captureOrder(order, clock.nowMs())),
    ),
    orderRoute(
      '/v1/orders/{id}/cancel',
      applying(200, (order) => cancelOrder(order, clock.nowMs())),
    ),
    orderRoute(
      '/v1/orders/{id}/refund',
      withOrder((order, { body }) => {
        const reading = readRefundRequest(body);
        if (reading.kind === 'invalid') return noEffect(ordersErrors(reading.errors));
        return settle(refundOrder(order, reading.request, clock.nowMs()), 201);
      }),
    ),
  ];
}

/** A changed order: `successStatus`, or 402 with the failed payments and the order under `data`. */
function answerWithOrder(order: Order, successStatus: number): ApiResult {
  if (order.status !== 'failed') return { status: successStatus, body: orderView(order), effect: true, orderId: order.id };
  return {
    status: ordersErrorStatus('failed'),
    body: { errors: [ordersCause('failed', failedPaymentDetails(order))], data: orderView(order) },
    effect: true,
    orderId: order.id,
  };
}
