import type { JsonValue } from '@app/contracts/json';
import type { HandlerResult } from '../http/handler-result';

/** One entry of a Wallet Connect error's `cause` list. */
export interface WalletCause {
  code: string;
  message: string;
  data: JsonValue;
}

/** The Wallet Connect error body: `status` is a string, as in Mercado Pago's samples. */
export function walletError(status: number, error: string, message: string, cause: readonly WalletCause[] = []): HandlerResult {
  return { status, body: { status: String(status), error, message, cause: cause.map((entry) => ({ ...entry })) } };
}

export function walletCause(code: string, message: string): WalletCause {
  return { code, message, data: null };
}

/** The documented 400 message, used for every invalid Wallet Connect request. */
export const WALLET_BAD_REQUEST_MESSAGE = 'Some parameters are invalid for search.';

export function walletBadRequest(cause: readonly WalletCause[]): HandlerResult {
  return walletError(400, 'bad_request', WALLET_BAD_REQUEST_MESSAGE, cause);
}
