import { applyDecorators } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { BEARER_SCHEME, orderIdParameter, problemExample, response, toApiResponse, tooManyRequestsResponse } from '../openapi/documented-response';
import * as published from '../openapi/published-examples';
import { jsonSchemaOf, orderSchema, ordersErrorSchema } from '../openapi/response-schemas';

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
      response(400, 'The order id is malformed.', errorSchema, { invalid_path_param: problemExample('invalid_path_param') }),
      response(401, 'No known bearer token (or the upstream refused the merchant token).', errorSchema, { unauthorized: problemExample('unauthorized') }),
      response(404, 'The order does not exist upstream.', errorSchema, {
        upstream_order_not_found: { summary: 'Unknown order', value: published.upstreamOrderErrors.order_not_found },
      }),
      tooManyRequestsResponse(errorSchema),
      response(500, 'The upstream could not be read.', errorSchema, { internal_error: problemExample('internal_error') }),
    ].map(toApiResponse),
  );
}
