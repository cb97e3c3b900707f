import { ordersErrors } from '@app/mercadopago';
import type { ProblemDialect } from '../../http/dialects/response-dialect';
import type { ApiProblem } from '../../http/problems/api-problem';

/** Where the codec server and its login page live; the Web UI appends /encode and /decode. */
export const CODEC_PATH = '/codec';

const PROBLEMS: Readonly<Record<ApiProblem, { status: number; message: string }>> = {
  unauthorized: {
    status: 401,
    message: `Send an operator token (Authorization: Bearer …, from OPERATOR_TOKENS) or sign in at ${CODEC_PATH}/login.`,
  },
  invalid_body: { status: 400, message: 'The body must be {"payloads":[{"metadata":{"name":"<base64>"},"data":"<base64>"}]}.' },
  json_syntax_error: { status: 400, message: 'The request body is not valid JSON.' },
  unrepresentable_number: { status: 400, message: ordersErrors.unrepresentable_number.message },
  payload_too_large: { status: 413, message: 'The request body is too large.' },
  unsupported_media_type: { status: 415, message: 'The request body must be JSON, sent with Content-Type: application/json.' },
  not_found: { status: 404, message: 'Route not found.' },
  malformed_request: { status: 400, message: 'The request is malformed.' },
  // Idempotency, order, run and client-quota problems belong to the payment routes; a codec request never raises them.
  missing_idempotency_key: { status: 400, message: 'Bad request.' },
  invalid_idempotency_key: { status: 400, message: 'Bad request.' },
  invalid_path_param: { status: 400, message: 'Bad request.' },
  order_not_found: { status: 404, message: 'Not found.' },
  payment_run_not_found: { status: 404, message: 'Not found.' },
  too_many_requests: { status: 429, message: 'Too many requests.' },
  too_many_runs_in_flight: { status: 429, message: 'Too many requests.' },
  internal_error: { status: 500, message: 'Internal error.' },
};

/**
 * The operator port's errors (the codec server's and /metrics'): `{"error","message"}`, plain JSON
 * for the Web UI and the CLI, which show the message to the operator. A detail, when given,
 * replaces the generic message.
 */
export const codecDialect: ProblemDialect = {
  problem: (problem, detail) => ({
    status: PROBLEMS[problem].status,
    body: { error: problem, message: detail ?? PROBLEMS[problem].message },
  }),
};
