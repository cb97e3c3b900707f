import { ApiParam, ApiResponse } from '@nestjs/swagger';
import { ORDER_ID_PATTERN, type JsonValue } from '@app/contracts';
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

export function toApiResponse({ status, description, schema, examples, headers }: DocumentedResponse): MethodDecorator {
  return ApiResponse({ status, description, schema, examples, headers });
}
