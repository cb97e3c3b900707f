import type { JsonValue } from '@app/contracts/json';
import type { HandlerResult } from '../http/handler-result';
import { ordersError } from './orders-errors';
import { WALLET_MESSAGES, walletBadRequest, walletCause, walletError } from './wallet-errors';

/** The failures the request pipeline produces itself, before or around a route's handler. */
export type PipelineFailure =
  | 'unauthorized'
  | 'invalid_credentials'
  | 'empty_required_header'
  | 'invalid_idempotency_key_length'
  | 'idempotency_key_already_used'
  | 'resource_locked'
  | 'json_syntax_error'
  | 'payload_too_large'
  | 'internal_error';

/** How one API family spells errors: Orders and Wallet Connect use different bodies and statuses. */
export interface ErrorDialect {
  failure(kind: PipelineFailure): HandlerResult;
  /** Body for an injected `respond` fault that brings none of its own. */
  faultBody(status: number): JsonValue;
}

/** Short names for the statuses faults typically inject; anything else is `simulated_fault`. */
const FAULT_CODES: Readonly<Record<number, string>> = {
  423: 'resource_locked',
  429: 'too_many_requests',
  500: 'internal_error',
  502: 'bad_gateway',
  503: 'service_unavailable',
  504: 'gateway_timeout',
};

function faultCode(status: number): string {
  return FAULT_CODES[status] ?? 'simulated_fault';
}

export const ordersDialect: ErrorDialect = {
  failure: (kind) => ordersError(kind),
  faultBody: (status) => ({ errors: [{ code: faultCode(status), message: `Simulated upstream failure (HTTP ${status}).` }] }),
};

const LOCKED_MESSAGE = WALLET_MESSAGES.stillProcessing;
const KEY_USED_MESSAGE = WALLET_MESSAGES.keyAlreadyUsed;

export const walletDialect: ErrorDialect = {
  failure: (kind) => {
    switch (kind) {
      case 'unauthorized':
        return walletError(401, 'unauthorized', 'Invalid access token.', [walletCause('unauthorized', 'Invalid access token.')]);
      case 'invalid_credentials':
        return walletError(401, 'unauthorized', 'Test credentials are not accepted.', [walletCause('invalid_credentials', 'Test credentials (TEST-...) are not accepted.')]);
      case 'empty_required_header':
        return walletBadRequest([walletCause(kind, 'Missing HTTP header: X-Idempotency-Key')]);
      case 'invalid_idempotency_key_length':
        return walletBadRequest([walletCause(kind, 'X-Idempotency-Key must be 1 to 64 printable ASCII characters.')]);
      case 'json_syntax_error':
        return walletBadRequest([walletCause(kind, 'The request body is not valid JSON.')]);
      case 'idempotency_key_already_used':
        return walletError(422, 'Unprocessable entity', KEY_USED_MESSAGE, [walletCause('422001', KEY_USED_MESSAGE)]);
      case 'resource_locked':
        return walletError(409, 'Conflict', LOCKED_MESSAGE, [walletCause('401001', LOCKED_MESSAGE)]);
      case 'payload_too_large':
        return walletError(413, 'payload_too_large', 'The request body is larger than 1 MiB.');
      case 'internal_error':
        return walletError(500, 'internal_server_error', 'Internal error.');
    }
  },
  faultBody: (status) => ({ status: String(status), error: faultCode(status), message: `Simulated upstream failure (HTTP ${status}).`, cause: [] }),
};
