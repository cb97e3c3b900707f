/**
 * Wallet Connect has no test cards: the payer token (from the buyer's wallet agreement) decides.
 * The simulator's scheme, by prefix: APRO approves, OTHE is rejected by the issuer, FUND finds no
 * money in the wallet; any other token is an agreement the buyer cancelled (401, cause 401003).
 */
export type PayerTokenOutcome = 'approved' | 'rejected_other_reason' | 'rejected_insufficient_money' | 'invalid_payer_token';

const OUTCOME_BY_PREFIX: readonly (readonly [string, PayerTokenOutcome])[] = [
  ['APRO', 'approved'],
  ['OTHE', 'rejected_other_reason'],
  ['FUND', 'rejected_insufficient_money'],
];

export function outcomeForPayerToken(payerToken: string): PayerTokenOutcome {
  return OUTCOME_BY_PREFIX.find(([prefix]) => payerToken.startsWith(prefix))?.[1] ?? 'invalid_payer_token';
}
