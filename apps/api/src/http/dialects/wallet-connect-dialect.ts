import { ordersErrors, walletConnectErrorBody, walletConnectMessages } from '@app/mercadopago';
import type { ApiProblem } from '../problems/api-problem';
import type { HttpAnswer } from '../problems/http-answer';
import { stillRunningHeaders, upstreamAnswer, type ResponseDialect } from './response-dialect';

interface WalletConnectProblem {
  status: number;
  error: string;
  message: string;
  /** Names the problem in `cause`, with Mercado Pago's Orders code where one exists. */
  code: string;
}

const BAD_REQUEST = { status: 400, error: 'bad_request', message: walletConnectMessages.badRequest } as const;

const PROBLEMS: Readonly<Record<ApiProblem, WalletConnectProblem>> = {
  unauthorized: { status: 401, error: 'unauthorized', message: ordersErrors.unauthorized.message, code: 'unauthorized' },
  missing_idempotency_key: { ...BAD_REQUEST, code: 'empty_required_header' },
  invalid_idempotency_key: { ...BAD_REQUEST, code: 'invalid_idempotency_key_length' },
  invalid_path_param: { ...BAD_REQUEST, code: 'invalid_path_param' },
  invalid_body: { ...BAD_REQUEST, code: 'invalid_body' },
  json_syntax_error: { ...BAD_REQUEST, code: 'json_syntax_error' },
  unrepresentable_number: { ...BAD_REQUEST, code: 'unrepresentable_number' },
  malformed_request: { ...BAD_REQUEST, code: 'malformed_request' },
  not_found: { status: 404, error: 'not_found', message: ordersErrors.not_found.message, code: 'not_found' },
  order_not_found: { status: 404, error: 'not_found', message: ordersErrors.order_not_found.message, code: 'order_not_found' },
  payment_run_not_found: { status: 404, error: 'not_found', message: ordersErrors.payment_run_not_found.message, code: 'payment_run_not_found' },
  payload_too_large: { status: 413, error: 'payload_too_large', message: ordersErrors.payload_too_large.message, code: 'payload_too_large' },
  unsupported_media_type: {
    status: 415,
    error: 'unsupported_media_type',
    message: ordersErrors.unsupported_media_type.message,
    code: 'unsupported_media_type',
  },
  too_many_requests: { status: 429, error: 'too_many_requests', message: ordersErrors.too_many_requests.message, code: 'too_many_requests' },
  too_many_runs_in_flight: { status: 429, error: 'too_many_requests', message: ordersErrors.too_many_runs_in_flight.message, code: 'too_many_runs_in_flight' },
  internal_error: { status: 500, error: 'internal_server_error', message: ordersErrors.internal_error.message, code: 'internal_error' },
};

/**
 * Wallet Connect: `{status, error, message, cause[]}`, 409 with cause 401001 while running, 422
 * with cause 422001 for a reused key ("Failed due to conflict" and "Failed due to unprocessable
 * entity" in https://www.mercadopago.com.ar/developers/en/docs/wallet-connect/payment-flow/idempotency/responses).
 */
export const walletConnectDialect: ResponseDialect = {
  problem: (problem, detail) => {
    const { status, error, message, code } = PROBLEMS[problem];
    return answer(status, error, message, [{ code, message: detail ?? message }]);
  },
  outcome: (outcome) => {
    switch (outcome.kind) {
      case 'answered':
        return upstreamAnswer(outcome);
      case 'still_running': {
        const { stillProcessing } = walletConnectMessages;
        return answer(409, 'Conflict', stillProcessing, [{ code: '401001', message: stillProcessing }], stillRunningHeaders);
      }
      case 'key_reused': {
        const { keyAlreadyUsed } = walletConnectMessages;
        return answer(422, 'Unprocessable entity', keyAlreadyUsed, [{ code: '422001', message: keyAlreadyUsed }]);
      }
      case 'gave_up':
        return walletConnectDialect.problem('internal_error');
      case 'unverifiable': {
        const { message } = ordersErrors.idempotency_validation_failed;
        return answer(500, 'internal_server_error', message, [{ code: 'idempotency_validation_failed', message }]);
      }
    }
  },
};

function answer(status: number, error: string, message: string, causes: ReadonlyArray<{ code: string; message: string }>, headers: Readonly<Record<string, string>> = {}): HttpAnswer {
  return { status, body: walletConnectErrorBody(status, error, message, causes), headers };
}
