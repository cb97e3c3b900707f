import type { JsonObject } from '@app/contracts/json';
import type { ApiRoute } from '../api-route';
import { noEffect } from '../api-route';
import { rfc3339Millis, type Clock } from '../clock';
import { ordersDialect } from '../errors/error-dialect';
import { groupIssues, ordersErrors } from '../errors/orders-errors';
import { newCardTokenId } from '../ids';
import { isPlainObject, optional, required, validate, type Schema } from '../validation/closed-schema';
import type { CardTokenStore } from './card-token-store';

/** Tokens stay usable for a week, as Mercado Pago's `date_due` suggests. */
const TOKEN_LIFETIME_MS = 7 * 24 * 60 * 60 * 1000;

const identificationSchema: Schema = {
  kind: 'object',
  properties: { type: required({ kind: 'string' }), number: required({ kind: 'string' }) },
};

const cardTokenRequestSchema: Schema = {
  kind: 'object',
  properties: {
    card_number: required({ kind: 'string', pattern: /^\d{13,19}$/, patternHint: '13 to 19 digits' }),
    expiration_month: required({ kind: 'integer', minimum: 1, maximum: 12 }),
    expiration_year: required({ kind: 'integer', minimum: 2000, maximum: 2099 }),
    security_code: required({ kind: 'string', pattern: /^\d{3,4}$/, patternHint: '3 or 4 digits' }),
    cardholder: required({
      kind: 'object',
      properties: { name: required({ kind: 'string', pattern: /\S/, patternHint: 'a non-blank name' }), identification: optional(identificationSchema) },
    }),
  },
};

/** The validated request, narrowed to what the simulator reads. */
interface CardTokenRequest {
  card_number: string;
  expiration_month: number;
  expiration_year: number;
  security_code: string;
  cardholder: { name: string; identification?: JsonObject };
}

/**
 * `POST /v1/card_tokens`. No idempotency key: Mercado Pago's tokens are created by its JavaScript
 * SDK in the buyer's browser, which sends none, and a duplicate token does no harm.
 */
export function cardTokenRoutes(tokens: CardTokenStore, clock: Clock): ApiRoute[] {
  return [
    {
      method: 'POST',
      template: '/v1/card_tokens',
      dialect: ordersDialect,
      requiresIdempotencyKey: false,
      orderIdInPath: false,
      handle: ({ body, accessToken }) => {
        const issues = validate(body ?? {}, cardTokenRequestSchema);
        if (issues.length > 0 || !isPlainObject(body)) return noEffect(ordersErrors(groupIssues(issues)));
        const card = body as unknown as CardTokenRequest;
        const id = newCardTokenId();
        tokens.save({ id, ownerToken: accessToken, cardholderName: card.cardholder.name });
        return { status: 201, body: cardTokenView(id, card, clock.nowMs()), effect: true };
      },
    },
  ];
}

/** The token answer. Only the first six and last four digits of the card ever leave the simulator. */
function cardTokenView(id: string, card: CardTokenRequest, nowMs: number): JsonObject {
  const cardholder: JsonObject = { name: card.cardholder.name };
  if (card.cardholder.identification) cardholder.identification = card.cardholder.identification;
  return {
    id,
    first_six_digits: card.card_number.slice(0, 6),
    last_four_digits: card.card_number.slice(-4),
    expiration_month: card.expiration_month,
    expiration_year: card.expiration_year,
    card_number_length: card.card_number.length,
    security_code_length: card.security_code.length,
    cardholder,
    status: 'active',
    luhn_validation: true,
    live_mode: false,
    date_created: rfc3339Millis(nowMs),
    date_last_updated: rfc3339Millis(nowMs),
    date_due: rfc3339Millis(nowMs + TOKEN_LIFETIME_MS),
  };
}
