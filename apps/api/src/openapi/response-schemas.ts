import { z } from 'zod';

/**
 * The shapes of what the API answers, as the OpenAPI document states them. Upstream bodies are
 * passed through as Mercado Pago sends them, so these name the fields callers rely on and let
 * every other field through.
 */

export const orderSchema = z.looseObject({ id: z.string(), status: z.string(), status_detail: z.string().optional() });

export const ordersErrorSchema = z.looseObject({
  errors: z.array(z.looseObject({ code: z.string(), message: z.string(), details: z.array(z.string()).optional() })).min(1),
  /** A declined order (402) travels here, whole. */
  data: orderSchema.optional(),
});

export const walletConnectPaymentSchema = z.looseObject({
  id: z.number().int(),
  status: z.string(),
  payments: z.array(z.looseObject({ id: z.number().int().nullable(), status: z.string(), status_detail: z.string() })).optional(),
});

export const walletConnectErrorSchema = z.looseObject({
  /** The status again, as a string, as in Mercado Pago's samples. */
  status: z.string(),
  error: z.string(),
  message: z.string(),
  cause: z.array(z.looseObject({ code: z.string(), message: z.string(), data: z.unknown() })).optional(),
});

/** A follow-up of the run's order or Wallet Connect payment (libs/contracts/src/follow-up.ts), as GET /v1/payment-runs/{key} shows it. */
export const followUpStatusSchema = z.strictObject({
  state: z.enum(['awaiting_final_state', 'final', 'horizon_passed']),
  /** The order's or the advanced payment's Mercado Pago status, and its detail (an advanced payment's: its payment's). */
  status: z.string().nullable(),
  status_detail: z.string().nullable(),
  reads: z.number().int(),
  notifications: z.number().int(),
  duplicate_notifications: z.number().int(),
  last_read_at: z.string().nullable(),
  next_read_at: z.string().nullable(),
  settled_at: z.string().nullable(),
  callback: z.enum(['delivered', 'not_configured', 'undelivered', 'handed_over']).nullable(),
});

export const paymentRunStatusSchema = z.strictObject({
  idempotency_key: z.string(),
  state: z.enum(['in_progress', 'awaiting_final_state', 'final', 'gave_up']),
  operation: z.string().nullable(),
  order_id: z.string().nullable(),
  attempts: z.number().int(),
  upstream_status: z.number().int().nullable(),
  started_at: z.string(),
  closed_at: z.string().nullable(),
  latest: z.unknown(),
  follow_up: followUpStatusSchema.nullable(),
});

/** What POST /webhooks/mercadopago answers when it is not a problem (notification-answer.ts). */
export const notificationAnswerSchema = z.strictObject({ result: z.enum(['accepted', 'duplicate', 'unknown_order', 'unknown_payment', 'ignored_topic', 'unavailable']) });

/** A notification's body as Mercado Pago sends it; only the fields that name the change are read, and none is trusted. */
export const notificationBodySchema = z.looseObject({
  /** A payment notification's own id, which a resend keeps. */
  id: z.union([z.string(), z.number()]).optional(),
  action: z.string().optional(),
  type: z.string().optional(),
  data: z.looseObject({ id: z.string().optional(), status: z.string().optional(), status_detail: z.string().optional(), version: z.number().int().optional() }).optional(),
});

export const liveSchema = z.strictObject({ status: z.literal('ok') });

export const readinessSchema = z.strictObject({
  status: z.enum(['ok', 'unavailable']),
  temporal: z.enum(['reachable', 'unreachable']),
  /** Why the API is not ready though Temporal answers (its namespace lacks the search attributes, or the hosted worker is down). */
  reason: z.string().optional(),
});

export type JsonSchema = Record<string, unknown>;

/** JSON Schema 2020-12, the dialect of OpenAPI 3.1, without the `$schema` marker a document does not repeat. */
export function jsonSchemaOf(schema: z.ZodType, io: 'input' | 'output' = 'output'): JsonSchema {
  const generated: JsonSchema = z.toJSONSchema(schema, { io, unrepresentable: 'any' });
  delete generated.$schema;
  return generated;
}
