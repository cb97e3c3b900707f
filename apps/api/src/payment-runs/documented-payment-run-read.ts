import { applyDecorators } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { IDEMPOTENCY_KEY_PATTERN, type JsonValue } from '@app/contracts';
import { BEARER_SCHEME, ORDER_ID_EXAMPLE, problemExample, response, toApiResponse, tooManyRequestsResponse } from '../openapi/documented-response';
import * as published from '../openapi/published-examples';
import { jsonSchemaOf, ordersErrorSchema, paymentRunStatusSchema } from '../openapi/response-schemas';

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
      response(400, 'The key is not 1 to 64 visible ASCII characters, or not valid percent-encoding (x%zz); checked after authentication.', errorSchema, {
        invalid_idempotency_key_in_path: problemExample('invalid_idempotency_key'),
        undecodable_idempotency_key_in_path: problemExample('invalid_idempotency_key'),
      }),
      response(401, 'No known bearer token.', errorSchema, { unauthorized: problemExample('unauthorized') }),
      response(404, 'No run with this key, or one another client sent: the two are not told apart.', errorSchema, { payment_run_not_found: problemExample('payment_run_not_found') }),
      tooManyRequestsResponse(errorSchema),
      response(500, 'Temporal could not be read; ask again.', errorSchema, {}),
    ].map(toApiResponse),
  );
}
