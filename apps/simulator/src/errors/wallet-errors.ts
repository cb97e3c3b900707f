import { walletConnectErrorBody, walletConnectMessages, type WalletConnectCause as WalletCause } from '@app/mercadopago';
import type { HandlerResult } from '../http/handler-result';

export type { WalletCause };

/** The Wallet Connect error body: `status` is a string, as in Mercado Pago's samples. */
export function walletError(status: number, error: string, message: string, cause: readonly WalletCause[] = []): HandlerResult {
  return { status, body: walletConnectErrorBody(status, error, message, cause) };
}

export function walletCause(code: string, message: string): WalletCause {
  return { code, message, data: null };
}

/** The documented 400 message, used for every invalid Wallet Connect request. */
export const WALLET_BAD_REQUEST_MESSAGE = walletConnectMessages.badRequest;

export function walletBadRequest(cause: readonly WalletCause[]): HandlerResult {
  return walletError(400, 'bad_request', WALLET_BAD_REQUEST_MESSAGE, cause);
}
