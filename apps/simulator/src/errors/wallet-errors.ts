import type { JsonValue } from '@app/contracts/json';
import type { HandlerResult } from '../http/handler-result';

/**
 * Wallet Connect's error body and messages as Mercado Pago documents them: written here rather
 * than shared with the orchestrator's own (libs/mercadopago), so that the simulator stays an
 * independent implementation that catches the orchestrator's mistakes.
 */
export type WalletCause = { code: string; message: string; data: JsonValue };

/**
 * The documented messages of Wallet Connect's idempotency answers: the sections "Failed due to
 * conflict", "Failed due to unprocessable entity" and "Failed response: Bad request" of
 * https://www.mercadopago.com.ar/developers/en/docs/wallet-connect/payment-flow/idempotency/responses
 */
export const WALLET_MESSAGES = {
  stillProcessing: 'The process has not been completed yet. Try again later.',
  keyAlreadyUsed: 'Idempotency key already used.',
  badRequest: 'Some parameters are invalid for search.',
} as const;

/** The Wallet Connect error body: `status` is a string, as in Mercado Pago's samples. */
export function walletError(status: number, error: string, message: string, cause: readonly WalletCause[] = []): HandlerResult {
  return { status, body: { status: String(status), error, message, cause: cause.map(({ code, message: text }) => ({ code, message: text, data: null })) } };
}

export function walletCause(code: string, message: string): WalletCause {
  return { code, message, data: null };
}

/** The documented 400 message, used for every invalid Wallet Connect request. */
export const WALLET_BAD_REQUEST_MESSAGE = WALLET_MESSAGES.badRequest;

export function walletBadRequest(cause: readonly WalletCause[]): HandlerResult {
  return walletError(400, 'bad_request', WALLET_BAD_REQUEST_MESSAGE, cause);
}
