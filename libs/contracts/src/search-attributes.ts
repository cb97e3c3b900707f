import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/**
 * Custom search attributes that let operators find runs in the Web UI. Their values are stored in
 * plain text by Temporal, so they hold identifiers only, never payer or card data.
 */
export const searchAttributes = {
  operation: defineSearchAttributeKey('PaymentOperation', SearchAttributeType.KEYWORD),
  orderId: defineSearchAttributeKey('OrderId', SearchAttributeType.KEYWORD),
  clientId: defineSearchAttributeKey('ClientId', SearchAttributeType.KEYWORD),
  externalReference: defineSearchAttributeKey('ExternalReference', SearchAttributeType.KEYWORD),
  outcome: defineSearchAttributeKey('PaymentOutcome', SearchAttributeType.KEYWORD),
  upstreamStatus: defineSearchAttributeKey('UpstreamStatus', SearchAttributeType.INT),
  /** The order's Mercado Pago status as a follow-up last read it (`processing`, then `processed`…). */
  orderStatus: defineSearchAttributeKey('OrderStatus', SearchAttributeType.KEYWORD),
  /** A Wallet Connect advanced payment's status as a follow-up last read it (`in_process`, then `approved`…). */
  paymentStatus: defineSearchAttributeKey('PaymentStatus', SearchAttributeType.KEYWORD),
} as const;

/** The Temporal CLI's spelling of each search attribute type. */
const CLI_TYPE_NAMES: Readonly<Record<SearchAttributeType, string>> = {
  [SearchAttributeType.TEXT]: 'Text',
  [SearchAttributeType.KEYWORD]: 'Keyword',
  [SearchAttributeType.INT]: 'Int',
  [SearchAttributeType.DOUBLE]: 'Double',
  [SearchAttributeType.BOOL]: 'Bool',
  [SearchAttributeType.DATETIME]: 'Datetime',
  [SearchAttributeType.KEYWORD_LIST]: 'KeywordList',
};

/** `Name=Type` pairs for `temporal server start-dev --search-attribute` and `operator search-attribute create`. */
export const searchAttributeDeclarations: readonly string[] = Object.values(searchAttributes).map((key) => `${key.name}=${CLI_TYPE_NAMES[key.type]}`);

/**
 * Why a namespace cannot serve payments, or null, from the custom search attributes Temporal's
 * `listSearchAttributes` reports for it. Runs upsert every attribute above; in a namespace that
 * lacks one, that upsert fails the workflow task, so no write could ever finish.
 */
export function searchAttributesProblem(namespace: string, registered: Readonly<Record<string, unknown>>): string | null {
  const missing = Object.values(searchAttributes)
    .filter((key) => registered[key.name] === undefined)
    .map((key) => key.name);
  if (missing.length === 0) return null;
  return `namespace "${namespace}" lacks search attributes ${missing.join(', ')}: run \`npm run temporal:search-attributes\` against it`;
}

/**
 * How a run ended, as shown in the PaymentOutcome search attribute. A follow-up shows
 * `awaiting_final_state` while it follows its order, then its order's outcome, or `unsettled`.
 */
export type PaymentOutcome = AnsweredOutcome | 'gave_up' | FollowUpOutcome;

/**
 * Where a follow-up's order ended: paid (processed or later), authorized and waiting for the
 * merchant's capture, failed, canceled or expired; or not known by the horizon.
 */
export type FollowUpOutcome = 'awaiting_final_state' | 'succeeded' | 'authorized' | 'declined' | 'canceled' | 'expired' | 'unsettled';

/** The outcomes of runs that got the upstream's final answer (libs/mercadopago/src/final-status.ts, outcomeOfStatus). */
export type AnsweredOutcome = 'succeeded' | 'declined' | 'rejected';
