import { applyDecorators } from '@nestjs/common';
import { ApiBody, ApiHeader, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { ORDER_ID_EXAMPLE, response, toApiResponse, type DocumentedExample } from '../openapi/documented-response';
import * as published from '../openapi/published-examples';
import { jsonSchemaOf, notificationAnswerSchema, notificationBodySchema, ordersErrorSchema } from '../openapi/response-schemas';
import { notificationAnswer } from './notification-answer';
import type { NotificationResult } from './notification-intake.service';

/** An example answer to a notification, exactly as notificationAnswer words it. */
function notificationExample(name: string, result: NotificationResult, summary: string): Record<string, DocumentedExample> {
  return { [name]: { summary, value: notificationAnswer(result).body } };
}

/** `POST /webhooks/mercadopago`: Mercado Pago's notifications, signed with the merchant's secret instead of a bearer token. */
export function DocumentedWebhook(): MethodDecorator {
  const resultSchema = jsonSchemaOf(notificationAnswerSchema);
  return applyDecorators(
    ApiTags('Notifications'),
    ApiOperation({
      operationId: 'notification.receive',
      summary: "Receive Mercado Pago's notification of an order change (configured in Mercado Pago's panel, event Order (Mercado Pago))",
      description:
        "Authenticated by x-signature, made with a merchant's MERCADOPAGO_WEBHOOK_SECRET, not by a bearer token. The body is never trusted: it only names the change, for de-duplication; the order's follow-up reads the order itself.",
      // No security scheme: the x-signature header below is an HMAC of the request, which OpenAPI's schemes cannot express.
      security: [],
    }),
    ApiQuery({ name: 'data.id', required: false, description: 'The order the notification is about.', schema: { type: 'string', example: ORDER_ID_EXAMPLE } }),
    ApiQuery({ name: 'type', required: false, description: 'The topic: only `order` is followed.', schema: { type: 'string', example: 'order' } }),
    ApiHeader({
      name: 'x-signature',
      required: true,
      description:
        "`ts=<unix time, seconds or milliseconds>,v1=<hex HMAC-SHA256 of id:<data.id>;request-id:<x-request-id>;ts:<ts>;>` keyed with the merchant's MERCADOPAGO_WEBHOOK_SECRET.",
      schema: { type: 'string' },
    }),
    ApiHeader({ name: 'x-request-id', required: false, description: 'Part of the signed manifest.', schema: { type: 'string' } }),
    ApiBody({
      required: false,
      schema: jsonSchemaOf(notificationBodySchema, 'input'),
      examples: { order_processed: { summary: 'An order processed', value: published.orderNotification } },
    }),
    ...[
      response(200, 'Taken in, or nothing for Mercado Pago to send again.', resultSchema, {
        ...notificationExample('accepted', 'accepted', "Passed on to the order's or the Wallet Connect payment's follow-up."),
        ...notificationExample('duplicate', 'duplicate', 'This change was passed on already.'),
        ...notificationExample('unknown_order', 'unknown_order', 'No follow-up of this order: never followed, already settled, or not an order id.'),
        ...notificationExample('unknown_payment', 'unknown_payment', 'No follow-up of this payment (topic payment): never followed, already settled, or not a numeric id.'),
        ...notificationExample('ignored_topic', 'ignored_topic', 'A topic other than order and payment.'),
      }),
      response(401, 'The signature does not hold; nothing was done.', jsonSchemaOf(ordersErrorSchema), {
        ...notificationExample('invalid_signature', 'bad_signature', "x-signature missing, malformed, or made with no merchant's secret."),
        ...notificationExample('stale_signature', 'stale', 'Signed further from now than WEBHOOK_SIGNATURE_TOLERANCE_MS.'),
      }),
      response(500, 'Temporal could not be reached; Mercado Pago sends the notification again later.', resultSchema, {
        ...notificationExample('unavailable', 'unavailable', 'The follow-up could not be signalled.'),
      }),
    ].map(toApiResponse),
  );
}
