/** What charging a card leads to, decided by the cardholder name given when it was tokenized. */
export type CardOutcome =
  | { kind: 'approved' }
  /** Left for manual review: the order stays `processing/in_process`. */
  | { kind: 'pending' }
  /** Waits for the buyer, like a 3-D Secure challenge: `action_required/waiting_payment` until a settle control call. */
  | { kind: 'challenge' }
  | { kind: 'declined'; detail: string };

export const approved: CardOutcome = { kind: 'approved' };
export const declined = (detail: string): CardOutcome => ({ kind: 'declined', detail });

/** Mercado Pago's test cardholder names (and the simulator's CHAL) and the outcome each one produces. */
export const CARDHOLDER_OUTCOMES: Readonly<Record<string, CardOutcome>> = {
  APRO: approved,
  CONT: { kind: 'pending' },
  OTHE: declined('rejected_by_issuer'),
  FUND: declined('insufficient_amount'),
  CALL: declined('required_call_for_authorize'),
  SECU: declined('bad_filled_card_data'),
  EXPI: declined('bad_filled_card_data'),
  FORM: declined('bad_filled_card_data'),
  CARD: declined('bad_filled_card_data'),
  INST: declined('invalid_installments'),
  LOCK: declined('card_disabled'),
  ATTE: declined('max_attempts_exceeded'),
  BLAC: declined('high_risk'),
  /** The simulator's own name, not Mercado Pago's: there is no test cardholder for a 3-D Secure challenge. */
  CHAL: { kind: 'challenge' },
};

/** A token the simulator never issued cannot be charged. */
export const UNKNOWN_TOKEN_OUTCOME: CardOutcome = declined('invalid_card_token');

/**
 * The first word of the name, uppercased, selects the outcome ("APRO", "apro Silva"). Any other
 * name is declined like OTHE: the sandbox does not approve arbitrary names (a guess).
 */
export function outcomeForCardholder(name: string): CardOutcome {
  const keyword = name.trim().split(/\s+/)[0]?.toUpperCase() ?? '';
  return CARDHOLDER_OUTCOMES[keyword] ?? declined('rejected_by_issuer');
}
