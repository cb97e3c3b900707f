import { z } from 'zod';
import type { JsonValue, PaymentOperation } from '@app/contracts';
import { ordersDialect } from '../http/dialects/orders-dialect';
import type { ResponseDialect } from '../http/dialects/response-dialect';
import { walletConnectDialect } from '../http/dialects/wallet-connect-dialect';

/** What a write accepts as its body. */
type BodyRule =
  /** The endpoint takes no body; anything sent is ignored and not part of the fingerprint. */
  | { kind: 'none' }
  /** A JSON object, or nothing at all (e.g. a refund: empty means the full amount). */
  | { kind: 'optional_object' }
  /** A JSON object that satisfies the schema; the upstream checks the rest. */
  | { kind: 'object'; schema: z.ZodType };

/**
 * One idempotent payment write, declared once: everything the engine needs to validate it,
 * fingerprint it, run it upstream and answer it in its API family's words.
 */
export interface PaymentWriteDeclaration {
  operation: PaymentOperation;
  dialect: ResponseDialect;
  /** Whether the route has an `{order_id}` path parameter. */
  takesOrderId: boolean;
  body: BodyRule;
  /** Shown as the run's summary in the Temporal Web UI. */
  describe(orderId: string | null, clientId: string): string;
}

/** Any JSON object: what a body the upstream checks in full must at least be. */
export const anyJsonObject = z.record(z.string(), z.unknown());

/** Wallet Connect's documented essentials; other properties pass through to the upstream. */
const advancedPaymentBody = z.looseObject({
  wallet_payment: z.looseObject({
    transaction_amount: z.number().positive(),
    description: z.string().optional(),
    external_reference: z.string().optional(),
  }),
  payer: z.looseObject({ token: z.string().min(1) }),
});

const orderWrite = <Operation extends PaymentOperation>(
  operation: Operation,
  action: string,
  body: BodyRule = { kind: 'none' },
): PaymentWriteDeclaration & { operation: Operation } => ({
  operation,
  dialect: ordersDialect,
  takesOrderId: true,
  body,
  describe: (orderId, clientId) => `${action[0]!.toUpperCase()}${action.slice(1)} order ${orderId} for ${clientId}`,
});

export const paymentWrites: { readonly [Operation in PaymentOperation]: PaymentWriteDeclaration & { operation: Operation } } = {
  'order.create': {
    operation: 'order.create',
    dialect: ordersDialect,
    takesOrderId: false,
    body: { kind: 'object', schema: anyJsonObject },
    describe: (_orderId, clientId) => `Create an order for ${clientId}`,
  },
  'order.process': orderWrite('order.process', 'process'),
  'order.capture': orderWrite('order.capture', 'capture'),
  'order.cancel': orderWrite('order.cancel', 'cancel'),
  'order.refund': orderWrite('order.refund', 'refund', { kind: 'optional_object' }),
  'advanced_payment.create': {
    operation: 'advanced_payment.create',
    dialect: walletConnectDialect,
    takesOrderId: false,
    body: { kind: 'object', schema: advancedPaymentBody },
    describe: (_orderId, clientId) => `Create a Wallet Connect payment for ${clientId}`,
  },
};

/** Far deeper than any order or payment; deeper bodies would exhaust the stack of recursive JSON code. */
export const MAX_BODY_DEPTH = 32;

/** The body that becomes part of the fingerprint and the upstream call, or why it is refused. */
export function acceptBody(rule: BodyRule, raw: unknown): { body: JsonValue | null } | { problem: string } {
  if (rule.kind !== 'none' && nestedDeeperThan(raw, MAX_BODY_DEPTH)) return { problem: `body: nested deeper than ${MAX_BODY_DEPTH} levels` };
  switch (rule.kind) {
    case 'none':
      return { body: null };
    case 'optional_object': {
      // No body and `{}` mean the same (e.g. a full refund), so they share a fingerprint.
      if (raw === undefined || (isObject(raw) && Object.keys(raw).length === 0)) return { body: null };
      return isObject(raw) ? { body: raw as JsonValue } : { problem: 'body: must be a JSON object' };
    }
    case 'object': {
      if (raw === undefined) return { problem: 'body: a JSON object is required' };
      const parsed = rule.schema.safeParse(raw);
      if (parsed.success) return { body: raw as JsonValue };
      return { problem: parsed.error.issues.map((issue) => `${['body', ...issue.path].join('.')}: ${issue.message}`).join('; ') };
    }
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Iterative, so the check itself cannot overflow the stack it protects. */
function nestedDeeperThan(value: unknown, limit: number): boolean {
  const pending: Array<{ value: unknown; depth: number }> = [{ value, depth: 0 }];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    if (typeof next.value !== 'object' || next.value === null) continue;
    if (next.depth >= limit) return true;
    for (const child of Object.values(next.value)) pending.push({ value: child, depth: next.depth + 1 });
  }
  return false;
}
