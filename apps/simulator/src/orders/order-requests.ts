import type { JsonValue } from '@app/contracts/json';
import { groupIssues, type KnownOrdersCause, type OrdersErrorCode } from '../errors/orders-errors';
import { formatCents, parseDecimalAmount } from '../money';
import { isPlainObject, optional, required, validate, type Schema } from '../validation/closed-schema';
import type { CaptureMode, PaymentMethod, ProcessingMode } from './order-model';

/** Sandbox orders only accept test users as buyers. */
const SANDBOX_EMAIL_DOMAIN = '@testuser.com';

const text: Schema = { kind: 'string' };

const paymentSchema: Schema = {
  kind: 'object',
  properties: {
    amount: required({ kind: 'decimal_amount', positive: true }),
    payment_method: required({
      kind: 'object',
      properties: {
        id: required(text),
        // Only card payments: the simulator decides outcomes from card tokens.
        type: required({ kind: 'string', oneOf: ['credit_card', 'debit_card'] }),
        token: required(text),
        installments: optional({ kind: 'integer', minimum: 1, maximum: 48 }),
        statement_descriptor: optional({ kind: 'string', maxLength: 22 }),
      },
    }),
  },
};

const payerSchema: Schema = {
  kind: 'object',
  properties: {
    email: required(text),
    first_name: optional(text),
    last_name: optional(text),
    entity_type: optional(text),
    identification: optional({ kind: 'object', properties: { type: required(text), number: required(text) } }),
    phone: optional({ kind: 'object', properties: { area_code: optional(text), number: optional(text) } }),
    address: optional({
      kind: 'object',
      properties: {
        zip_code: optional(text),
        street_name: optional(text),
        street_number: optional(text),
        neighborhood: optional(text),
        city: optional(text),
        state: optional(text),
        complement: optional(text),
      },
    }),
  },
};

const itemSchema: Schema = {
  kind: 'object',
  properties: {
    title: required(text),
    unit_price: required({ kind: 'decimal_amount' }),
    quantity: required({ kind: 'integer', minimum: 1 }),
    id: optional(text),
    description: optional(text),
    picture_url: optional(text),
    category_id: optional(text),
    type: optional(text),
    external_code: optional(text),
  },
};

const createOrderSchema: Schema = {
  kind: 'object',
  properties: {
    type: required({ kind: 'string', oneOf: ['online'] }),
    processing_mode: optional({ kind: 'string', oneOf: ['automatic', 'manual'] }),
    capture_mode: optional({ kind: 'string', oneOf: ['automatic', 'manual'] }),
    external_reference: optional({ kind: 'string', pattern: /^[A-Za-z0-9_-]+$/, patternHint: 'letters, digits, - and _', maxLength: 64 }),
    total_amount: required({ kind: 'decimal_amount' }),
    payer: required(payerSchema),
    // Manual orders may leave transactions out (or null) and add them later.
    transactions: optional({
      kind: 'object',
      nullable: true,
      properties: { payments: required({ kind: 'array', items: paymentSchema, minItems: 1, maxItems: 1 }) },
    }),
    description: optional(text),
    items: optional({ kind: 'array', items: itemSchema }),
    expiration_time: optional(text),
  },
};

/** The shape `createOrderSchema` admits; read only after validation succeeded. */
interface CreateOrderBody {
  processing_mode?: ProcessingMode;
  capture_mode?: CaptureMode;
  external_reference?: string;
  total_amount: string;
  transactions?: { payments: { amount: string; payment_method: PaymentMethod }[] } | null;
  description?: string;
  items?: JsonValue;
  expiration_time?: string;
}

export interface CreateOrderRequest {
  processingMode: ProcessingMode;
  captureMode: CaptureMode;
  externalReference?: string;
  totalCents: number;
  payments: { amountCents: number; paymentMethod: PaymentMethod }[];
  description?: string;
  items?: JsonValue;
  expirationTime?: string;
}

export type Reading<Request> = { kind: 'valid'; request: Request } | { kind: 'invalid'; errors: KnownOrdersCause[] };

/** Validates a create-order body, reporting every problem at once as the Orders API does. */
export function readCreateOrderRequest(body: JsonValue | undefined): Reading<CreateOrderRequest> {
  const value = body ?? {};
  const issues = [...validate(value, createOrderSchema), ...businessRuleIssues(value)];
  if (issues.length > 0 || !isPlainObject(value)) return { kind: 'invalid', errors: groupIssues(issues) };
  const order = value as unknown as CreateOrderBody;
  return {
    kind: 'valid',
    request: {
      processingMode: order.processing_mode ?? 'automatic',
      captureMode: order.capture_mode ?? 'automatic',
      externalReference: order.external_reference,
      totalCents: parseDecimalAmount(order.total_amount) ?? 0,
      payments: (order.transactions?.payments ?? []).map((payment) => ({
        amountCents: parseDecimalAmount(payment.amount) ?? 0,
        paymentMethod: { ...payment.payment_method, installments: payment.payment_method.installments ?? 1 },
      })),
      description: order.description,
      items: order.items,
      expirationTime: order.expiration_time,
    },
  };
}

/**
 * Rules beyond the shape. They read the raw body defensively so that they can be reported next
 * to schema problems instead of after the client fixed those.
 */
function businessRuleIssues(body: JsonValue): { code: OrdersErrorCode; detail: string }[] {
  if (!isPlainObject(body)) return [];
  const issues: { code: OrdersErrorCode; detail: string }[] = [];
  const transactions = body.transactions;
  const mode = body.processing_mode ?? 'automatic';
  if (mode === 'automatic' && (transactions === undefined || transactions === null)) {
    issues.push({ code: 'required_properties', detail: "required property '$.transactions' is missing (automatic processing_mode)" });
  }
  const total = typeof body.total_amount === 'string' ? parseDecimalAmount(body.total_amount) : undefined;
  if (total === 0) issues.push({ code: 'invalid_total_amount', detail: '$.total_amount cannot be zero' });
  const paymentsSum = sumOfPaymentAmounts(transactions);
  if (total !== undefined && total > 0 && paymentsSum !== undefined && paymentsSum !== total) {
    issues.push({
      code: 'invalid_total_amount',
      detail: `$.total_amount '${formatCents(total)}' differs from the sum of transactions.payments[].amount '${formatCents(paymentsSum)}'`,
    });
  }
  const email = isPlainObject(body.payer) ? body.payer.email : undefined;
  if (typeof email === 'string' && !email.toLowerCase().endsWith(SANDBOX_EMAIL_DOMAIN)) {
    issues.push({ code: 'invalid_email_for_sandbox', detail: `$.payer.email '${email}' is not a test user (…${SANDBOX_EMAIL_DOMAIN})` });
  }
  return issues;
}

/** The sum in cents when there are payments and every amount is readable; otherwise undefined. */
function sumOfPaymentAmounts(transactions: unknown): number | undefined {
  if (!isPlainObject(transactions) || !Array.isArray(transactions.payments) || transactions.payments.length === 0) return undefined;
  let sum = 0;
  for (const payment of transactions.payments as unknown[]) {
    const amount = isPlainObject(payment) && typeof payment.amount === 'string' ? parseDecimalAmount(payment.amount) : undefined;
    if (amount === undefined) return undefined;
    sum += amount;
  }
  return sum;
}

const refundSchema: Schema = {
  kind: 'object',
  properties: {
    transactions: optional({
      kind: 'array',
      minItems: 1,
      items: {
        kind: 'object',
        properties: { id: required(text), amount: required({ kind: 'decimal_amount', positive: true }) },
      },
    }),
  },
};

/** `full` refunds what is left of every payment; `partial` lists amounts per payment id. */
export type RefundRequest = { kind: 'full' } | { kind: 'partial'; transactions: { id: string; amountCents: number }[] };

/** An empty body (or one without `transactions`) asks for a full refund. */
export function readRefundRequest(body: JsonValue | undefined): Reading<RefundRequest> {
  if (body === undefined) return { kind: 'valid', request: { kind: 'full' } };
  const issues = validate(body, refundSchema);
  if (issues.length > 0 || !isPlainObject(body)) return { kind: 'invalid', errors: groupIssues(issues) };
  const refund = body as unknown as { transactions?: { id: string; amount: string }[] };
  if (!refund.transactions) return { kind: 'valid', request: { kind: 'full' } };
  return {
    kind: 'valid',
    request: {
      kind: 'partial',
      transactions: refund.transactions.map((transaction) => ({ id: transaction.id, amountCents: parseDecimalAmount(transaction.amount) ?? 0 })),
    },
  };
}
