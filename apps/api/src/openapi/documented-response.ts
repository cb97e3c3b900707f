import { ApiParam, ApiResponse } from '@nestjs/swagger';
import type { JsonValue } from '@app/contracts';
import { ORDER_ID_PATTERN } from '@app/mercadopago';
import { ordersDialect } from '../http/dialects/orders-dialect';
import type { ApiProblem } from '../http/problems/api-problem';
import type { JsonSchema } from './response-schemas';

/**
 * What every route's documentation is made of. Each feature documents its own routes beside its
 * controller (`documented-*.ts`); only these generic pieces are shared, so the document depends on
 * the features and never the other way round.
 */

/** The name of the bearer security scheme in the document. */
export const BEARER_SCHEME = 'bearer';

/** The prefix of examples that are Mercado Pago's bodies rather than the orchestrator's own. */
export const UPSTREAM_EXAMPLE_PREFIX = 'upstream_';

export const ORDER_ID_EXAMPLE = 'ORD01J49MMW3SSBK5PSV3DFR32959';

export interface DocumentedExample {
  summary: string;
  value: JsonValue;
}

export interface DocumentedResponse {
  status: number;
  description: string;
  schema: JsonSchema;
  examples: Record<string, DocumentedExample>;
  headers: Record<string, { description: string; schema: JsonSchema }>;
}

export const orderIdParameter = ApiParam({
  name: 'orderId',
  description: 'The Mercado Pago order id: ORD (or ORDTST for test users) and 26 uppercase letters or digits.',
  schema: { type: 'string', pattern: ORDER_ID_PATTERN, example: ORDER_ID_EXAMPLE },
});

/** The example of one of the orchestrator's own problems, in the Orders dialect the reads answer in. */
export function problemExample(name: ApiProblem): DocumentedExample {
  return { summary: name, value: ordersDialect.problem(name).body };
}

export function response(status: number, description: string, schema: JsonSchema, examples: Record<string, { summary: string; value: JsonValue }>): DocumentedResponse {
  return { status, description, schema, examples, headers: {} };
}

export const RETRY_AFTER_HEADER = { description: 'Seconds to wait before sending the same request again.', schema: { type: 'string', pattern: '^[0-9]+$' } };

/** What a client over its request rate is told, before anything else is done (docs/api.md, "Quotas"). */
export const TOO_MANY_REQUESTS_SUMMARY =
  "Over the client's CLIENT_REQUESTS_PER_SECOND and its burst, in this API instance: refused before anything else (no validation, run or upstream call); send again after Retry-After.";

/** The 429 of a read route, in the Orders dialect, with its Retry-After. */
export function tooManyRequestsResponse(errorSchema: JsonSchema): DocumentedResponse {
  const answer = response(429, TOO_MANY_REQUESTS_SUMMARY, errorSchema, { too_many_requests: problemExample('too_many_requests') });
  return { ...answer, headers: { 'Retry-After': RETRY_AFTER_HEADER } };
}

export function toApiResponse({ status, description, schema, examples, headers }: DocumentedResponse): MethodDecorator {
  return ApiResponse({ status, description, schema, examples, headers });
}
