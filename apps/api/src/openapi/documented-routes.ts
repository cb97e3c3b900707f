import { applyDecorators } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiHeader, ApiOperation, ApiParam, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { IDEMPOTENCY_KEY_PATTERN, ORDER_ID_PATTERN, searchAttributesProblem, type JsonValue, type PaymentOperation } from '@app/contracts';
import { ordersDialect } from '../http/dialects/orders-dialect';
import type { ApiProblem } from '../http/problems/api-problem';
import { anyJsonObject, paymentWrites } from '../payments/payment-write-declarations';
import { documentedWriteResponses, type DocumentedExample, type DocumentedResponse } from '../payments/documented-write-responses';
import { notificationAnswer } from '../webhooks/notification-answer';
import type { NotificationResult } from '../webhooks/notification-intake.service';
import {
  jsonSchemaOf,
  liveSchema,
  notificationAnswerSchema,
  notificationBodySchema,
  orderSchema,
  ordersErrorSchema,
  paymentRunStatusSchema,
  readinessSchema,
  type JsonSchema,
} from './response-schemas';
import * as published from './published-examples';

/** The name of the bearer security scheme in the document. */
export const BEARER_SCHEME = 'bearer';

const ORDER_ID_EXAMPLE = 'ORD01J49MMW3SSBK5PSV3DFR32959';

const orderIdParameter = ApiParam({
  name: 'orderId',
  description: 'The Mercado Pago order id: ORD (or ORDTST for test users) and 26 uppercase letters or digits.',
  schema: { type: 'string', pattern: ORDER_ID_PATTERN, example: ORDER_ID_EXAMPLE },
});

const WRITE_SUMMARIES: { readonly [Operation in PaymentOperation]: { tag: string; summary: string } } = {
  'order.create': { tag: 'Orders', summary: 'Create an order' },
  'order.process': { tag: 'Orders', summary: 'Process an order created in manual mode' },
  'order.capture': { tag: 'Orders', summary: 'Capture an authorized order' },
  'order.cancel': { tag: 'Orders', summary: 'Cancel an order' },
  'order.refund': { tag: 'Orders', summary: 'Refund an order, in full or in part' },
  'advanced_payment.create': { tag: 'Wallet Connect', summary: 'Create a Wallet Connect advanced payment' },
};

/** The request examples of each write that takes a body, from Mercado Pago's pages. */
const REQUEST_EXAMPLES: { readonly [Operation in PaymentOperation]?: Record<string, DocumentedExample> } = {
  'order.create': { manual_card_order: { summary: 'A manual-mode card order', value: published.createOrderRequest } },
  'order.refund': {
    full_refund: { summary: 'An empty object (or no body): refund the full amount', value: {} },
    partial_refund: { summary: 'Refund part of one payment', value: published.partialRefundRequest },
  },
  'advanced_payment.create': { card_payment: { summary: 'A payment with a wallet agreement', value: published.advancedPaymentRequest } },
};

/** Everything the document says about one payment write, derived from its declaration. */
export function DocumentedWrite(operation: PaymentOperation): MethodDecorator {
  const write = paymentWrites[operation];
  const { tag, summary } = WRITE_SUMMARIES[operation];
  const decorators = [
    ApiTags(tag),
    ApiOperation({ operationId: operation, summary }),
    ApiBearerAuth(BEARER_SCHEME),
    ApiHeader({
      name: 'X-Idempotency-Key',
      required: true,
      description: 'One key per request: 1 to 64 visible ASCII characters (! to ~, no spaces); a UUID v4 is a good choice.',
      schema: { type: 'string', pattern: IDEMPOTENCY_KEY_PATTERN },
      example: '0d5020ed-1af6-469c-ae06-c3bec19954bb',
    }),
    ...(write.takesOrderId ? [orderIdParameter] : []),
    ...documentedWriteResponses(operation).map(toApiResponse),
  ];
  const examples = REQUEST_EXAMPLES[operation] ?? {};
  switch (write.body.kind) {
    case 'none':
      break;
    case 'optional_object':
      decorators.push(ApiBody({ required: false, schema: jsonSchemaOf(anyJsonObject, 'input'), examples }));
      break;
    case 'object':
      decorators.push(ApiBody({ required: true, schema: jsonSchemaOf(write.body.schema, 'input'), examples }));
      break;
  }
  return applyDecorators(...decorators);
}

/** The example of one of the orchestrator's own problems, in the Orders dialect the reads answer in. */
function problem(name: ApiProblem): DocumentedExample {
  return { summary: name, value: ordersDialect.problem(name).body };
}

/** `GET /v1/orders/{orderId}`: the upstream's answer as it is. */
export function DocumentedOrderRead(): MethodDecorator {
  const errorSchema = jsonSchemaOf(ordersErrorSchema);
  return applyDecorators(
    ApiTags('Orders'),
    ApiOperation({ operationId: 'order.read', summary: 'Read an order (not idempotent: passed through, no workflow)' }),
    ApiBearerAuth(BEARER_SCHEME),
    orderIdParameter,
    ...[
      response(200, "The upstream's order.", jsonSchemaOf(orderSchema), { upstream_order: { summary: "Mercado Pago's order", value: published.processedOrder } }),
      response(400, 'The order id is malformed.', errorSchema, { invalid_path_param: problem('invalid_path_param') }),
      response(401, 'No known bearer token (or the upstream refused the merchant token).', errorSchema, { unauthorized: problem('unauthorized') }),
      response(404, 'The order does not exist upstream.', errorSchema, {
        upstream_order_not_found: { summary: 'Unknown order', value: published.upstreamOrderErrors.order_not_found },
      }),
      response(500, 'The upstream could not be read.', errorSchema, { internal_error: problem('internal_error') }),
    ].map(toApiResponse),
  );
}

/** What the status of a process that Mercado Pago answered at once looks like. */
const FINAL_RUN_EXAMPLE = {
  idempotency_key: '0d5020ed-1af6-469c-ae06-c3bec19954bb',
  state: 'final',
  operation: 'order.process',
  order_id: ORDER_ID_EXAMPLE,
  attempts: 1,
  upstream_status: 200,
  started_at: '2026-11-26T17:40:01.112Z',
  closed_at: '2026-11-26T17:40:01.187Z',
  latest: published.processedOrder,
  follow_up: null,
} satisfies JsonValue;

/** `GET /v1/payment-runs/{idempotencyKey}`: the orchestrator's own resource, for the key's client only. */
export function DocumentedPaymentRunRead(): MethodDecorator {
  const errorSchema = jsonSchemaOf(ordersErrorSchema);
  return applyDecorators(
    ApiTags('Payment runs'),
    ApiOperation({ operationId: 'payment_run.read', summary: "Where the run of one of the caller's idempotency keys stands" }),
    ApiBearerAuth(BEARER_SCHEME),
    ApiParam({
      name: 'idempotencyKey',
      description: 'The X-Idempotency-Key the caller sent with the write.',
      schema: { type: 'string', pattern: IDEMPOTENCY_KEY_PATTERN, example: '0d5020ed-1af6-469c-ae06-c3bec19954bb' },
    }),
    ...[
      response(200, "The run's state, its attempts so far and, once final, the upstream's answer.", jsonSchemaOf(paymentRunStatusSchema), {
        final_run: { summary: 'A processed order', value: FINAL_RUN_EXAMPLE },
      }),
      response(400, 'The key is not 1 to 64 visible ASCII characters.', errorSchema, { invalid_idempotency_key_in_path: problem('invalid_idempotency_key') }),
      response(401, 'No known bearer token.', errorSchema, { unauthorized: problem('unauthorized') }),
      response(404, 'No run with this key, or one another client sent: the two are not told apart.', errorSchema, { payment_run_not_found: problem('payment_run_not_found') }),
      response(500, 'Temporal could not be read; ask again.', errorSchema, {}),
    ].map(toApiResponse),
  );
}

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

/** `GET /health/live` and `/health/ready`: no auth, no request data. */
export function DocumentedProbe(probe: 'live' | 'ready'): MethodDecorator {
  const responses =
    probe === 'live'
      ? [response(200, 'The process serves HTTP.', jsonSchemaOf(liveSchema), { live: { summary: 'live', value: { status: 'ok' } } })]
      : [
          response(200, 'Temporal answers and the namespace has the search attributes.', jsonSchemaOf(readinessSchema), {
            ready: { summary: 'ready', value: { status: 'ok', temporal: 'reachable' } },
          }),
          response(503, 'Temporal does not answer (every write would be refused), or its namespace lacks the search attributes (no run could finish).', jsonSchemaOf(readinessSchema), {
            unavailable: { summary: 'unavailable', value: { status: 'unavailable', temporal: 'unreachable' } },
            missing_search_attributes: {
              summary: 'the namespace lacks search attributes',
              value: { status: 'unavailable', temporal: 'reachable', reason: searchAttributesProblem('default', {}) },
            },
          }),
        ];
  return applyDecorators(
    ApiTags('Health'),
    ApiOperation({ operationId: `health.${probe}`, summary: probe === 'live' ? 'Liveness probe' : 'Readiness probe: can writes succeed?' }),
    ...responses.map(toApiResponse),
  );
}

function response(status: number, description: string, schema: JsonSchema, examples: Record<string, { summary: string; value: JsonValue }>): DocumentedResponse {
  return { status, description, schema, examples, headers: {} };
}

function toApiResponse({ status, description, schema, examples, headers }: DocumentedResponse): MethodDecorator {
  return ApiResponse({ status, description, schema, examples, headers });
}
