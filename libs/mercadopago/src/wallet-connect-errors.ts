import type { JsonValue } from '../../contracts/src/json';

/** One entry of a Wallet Connect error's `cause` list. */
export type WalletConnectCause = { code: string; message: string; data: JsonValue };

/** The Wallet Connect error body; `status` is a string, as in Mercado Pago's published samples. */
export type WalletConnectErrorBody = { status: string; error: string; message: string; cause: WalletConnectCause[] };

export function walletConnectErrorBody(status: number, error: string, message: string, causes: ReadonlyArray<{ code: string; message: string }> = []): WalletConnectErrorBody {
  return { status: String(status), error, message, cause: causes.map(({ code, message: text }) => ({ code, message: text, data: null })) };
}

/**
 * The documented messages of Wallet Connect's idempotency answers: the sections "Failed due to
 * conflict", "Failed due to unprocessable entity" and "Failed response: Bad request" of
 * https://www.mercadopago.com.ar/developers/en/docs/wallet-connect/payment-flow/idempotency/responses
 */
export const walletConnectMessages = {
  stillProcessing: 'The process has not been completed yet. Try again later.',
  keyAlreadyUsed: 'Idempotency key already used.',
  badRequest: 'Some parameters are invalid for search.',
} as const;
