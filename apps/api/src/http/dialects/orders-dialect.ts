import { ordersErrorBody, ordersErrors, type OrdersErrorCode } from '@app/mercadopago';
import type { ApiProblem } from '../problems/api-problem';
import type { HttpAnswer } from '../problems/http-answer';
import { stillRunningHeaders, upstreamAnswer, type ResponseDialect } from './response-dialect';

const PROBLEM_CODES: Readonly<Record<ApiProblem, OrdersErrorCode>> = {
  unauthorized: 'unauthorized',
  missing_idempotency_key: 'empty_required_header',
  invalid_idempotency_key: 'invalid_idempotency_key_length',
  invalid_path_param: 'invalid_path_param',
  invalid_body: 'invalid_properties',
  json_syntax_error: 'json_syntax_error',
  unrepresentable_number: 'unrepresentable_number',
  malformed_request: 'malformed_request',
  not_found: 'not_found',
  order_not_found: 'order_not_found',
  payment_run_not_found: 'payment_run_not_found',
  payload_too_large: 'payload_too_large',
  unsupported_media_type: 'unsupported_media_type',
  too_many_requests: 'too_many_requests',
  too_many_runs_in_flight: 'too_many_runs_in_flight',
  internal_error: 'internal_error',
};

/** The Orders API: `{"errors":[{"code","message"}]}`, 423 while running, 409 for a reused key. */
export const ordersDialect: ResponseDialect = {
  problem: (problem) => ordersErrorAnswer(PROBLEM_CODES[problem]),
  outcome: (outcome) => {
    switch (outcome.kind) {
      case 'answered':
        return upstreamAnswer(outcome);
      case 'still_running':
        return ordersErrorAnswer('resource_locked', stillRunningHeaders);
      case 'key_reused':
        return ordersErrorAnswer('idempotency_key_already_used');
      case 'gave_up':
        return ordersErrorAnswer('internal_error');
      case 'unverifiable':
        return ordersErrorAnswer('idempotency_validation_failed');
    }
  },
};

/** One of the Orders errors the orchestrator words itself, with its documented status. */
export function ordersErrorAnswer(code: OrdersErrorCode, headers: Readonly<Record<string, string>> = {}): HttpAnswer {
  return { status: ordersErrors[code].status, body: ordersErrorBody(code), headers };
}
