/**
 * Wallet Connect has no test cards: the payer token (from the buyer's wallet agreement) decides.
 * The simulator's scheme, by prefix: APRO approves, OTHE is rejected by the issuer, FUND finds no
 * money in the wallet, CONT stays pending (in_process/pending_contingency) until it settles; any
 * other token is an agreement the buyer cancelled (401, cause 401003). In binary mode a payment
 * "can only be approved or rejected" (Create payment,
 * https://www.mercadopago.com.br/developers/en/reference/online-payments/wallet-connect/create-payment/post),
 * so there CONT is rejected as OTHE is.
 */
export type PayerTokenOutcome = 'approved' | 'rejected_other_reason' | 'rejected_insufficient_money' | 'pending_contingency' | 'invalid_payer_token';

const OUTCOME_BY_PREFIX: readonly (readonly [string, PayerTokenOutcome])[] = [
  ['APRO', 'approved'],
  ['OTHE', 'rejected_other_reason'],
  ['FUND', 'rejected_insufficient_money'],
  ['CONT', 'pending_contingency'],
];

export function outcomeForPayerToken(payerToken: string, binaryMode: boolean): PayerTokenOutcome {
  const outcome = OUTCOME_BY_PREFIX.find(([prefix]) => payerToken.startsWith(prefix))?.[1] ?? 'invalid_payer_token';
  return outcome === 'pending_contingency' && binaryMode ? 'rejected_other_reason' : outcome;
}
