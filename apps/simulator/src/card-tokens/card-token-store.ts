import { outcomeForCardholder, UNKNOWN_TOKEN_OUTCOME, type CardOutcome } from './card-outcomes';

/**
 * What the simulator keeps of a tokenized card. The full number and the security code are
 * deliberately absent: nothing can leak what is never stored.
 */
export interface CardToken {
  id: string;
  ownerToken: string;
  cardholderName: string;
}

export class CardTokenStore {
  private readonly tokens = new Map<string, CardToken>();

  save(token: CardToken): void {
    this.tokens.set(token.id, token);
  }

  /** The outcome a payment with this token gets; tokens are per seller, like every other resource. */
  outcomeFor(tokenId: string, accessToken: string): CardOutcome {
    const token = this.tokens.get(tokenId);
    if (!token || token.ownerToken !== accessToken) return UNKNOWN_TOKEN_OUTCOME;
    return outcomeForCardholder(token.cardholderName);
  }

  clear(): void {
    this.tokens.clear();
  }
}
