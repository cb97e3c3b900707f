import type { HandlerResult } from '../http/handler-result';

/**
 * The Orders API error body, `{"errors":[{"code","message","details"?}]}`, as Mercado Pago
 * documents it: written here from the documentation rather than shared with the orchestrator's
 * own (libs/mercadopago), so a mistake there is caught against this independent reading.
 */
type OrdersErrorCause = { code: string; message: string; details?: string[] };
type OrdersErrorBody = { errors: OrdersErrorCause[] };

/** Every error code the simulator answers in the Orders dialect, with its status and message. */
const ORDERS_ERRORS = {
  unauthorized: { status: 401, message: 'Invalid or missing access token.' },
  invalid_credentials: { status: 401, message: 'Test credentials (TEST-...) are not accepted; use a test user APP_USR- access token.' },
  empty_required_header: { status: 400, message: 'Missing HTTP header: X-Idempotency-Key' },
  invalid_idempotency_key_length: { status: 400, message: 'X-Idempotency-Key must be 1 to 64 printable ASCII characters.' },
  idempotency_key_already_used: { status: 409, message: 'The idempotency key was already used with a different request.' },
  resource_locked: { status: 423, message: 'A request with this idempotency key is still being processed. Try again later.' },
  json_syntax_error: { status: 400, message: 'The request body is not valid JSON.' },
  payload_too_large: { status: 413, message: 'The request body is larger than 1 MiB.' },
  internal_error: { status: 500, message: 'Internal error.' },
  not_found: { status: 404, message: 'Route not found.' },
  required_properties: { status: 400, message: 'Required properties are missing.' },
  unsupported_properties: { status: 400, message: 'Properties not supported' },
  property_type: { status: 400, message: 'Properties have the wrong type.' },
  property_value: { status: 400, message: 'Properties have invalid values.' },
  minimum_items: { status: 400, message: 'Too few items.' },
  maximum_items: { status: 400, message: 'Too many items.' },
  invalid_total_amount: { status: 400, message: 'total_amount must equal the sum of transactions.payments[].amount and cannot be zero.' },
  invalid_email_for_sandbox: { status: 400, message: 'In the sandbox payer.email must be a test user e-mail ending in @testuser.com.' },
  invalid_path_param: { status: 400, message: 'path param order id is invalid' },
  order_not_found: { status: 404, message: 'Order not found.' },
  invalid_order_mode_for_operation: { status: 400, message: 'The operation is not allowed for the processing_mode of this order.' },
  order_builder_without_transactions: { status: 400, message: 'The order has no transactions to process.' },
  operation_not_supported: { status: 409, message: 'The operation is not supported for the current status of the order.' },
  cannot_capture_order: { status: 409, message: 'The order cannot be captured: it is not waiting for capture.' },
  cannot_cancel_order: { status: 409, message: 'The order cannot be canceled in its current status.' },
  order_already_canceled: { status: 409, message: 'The order is already canceled.' },
  cannot_refund_order: { status: 409, message: 'The order cannot be refunded in its current status.' },
  order_already_refunded: { status: 409, message: 'The order is already fully refunded.' },
  refund_amount_exceeds: { status: 400, message: 'The refund amount exceeds the amount available to refund.' },
  transaction_not_found: { status: 404, message: 'Transaction not found in this order.' },
  failed: { status: 402, message: 'The following transactions failed' },
} as const satisfies Record<string, { status: number; message: string }>;

export type OrdersErrorCode = keyof typeof ORDERS_ERRORS;

export function ordersErrorStatus(code: OrdersErrorCode): number {
  return ORDERS_ERRORS[code].status;
}

/** An Orders error entry whose code the simulator knows, so its status can be looked up. */
export type KnownOrdersCause = OrdersErrorCause & { code: OrdersErrorCode };

export function ordersCause(code: OrdersErrorCode, details?: readonly string[]): KnownOrdersCause {
  const cause: KnownOrdersCause = { code, message: ORDERS_ERRORS[code].message };
  if (details && details.length > 0) cause.details = [...details];
  return cause;
}

/** One error answered alone: `{"errors":[{code,message,details?}]}` with the code's status. */
export function ordersError(code: OrdersErrorCode, details?: readonly string[]): HandlerResult {
  const body: OrdersErrorBody = { errors: [ordersCause(code, details)] };
  return { status: ORDERS_ERRORS[code].status, body };
}

/** Several problems found together (the Orders API reports them all); the first one's status wins. */
export function ordersErrors(causes: readonly KnownOrdersCause[]): HandlerResult {
  const status = causes[0] ? ORDERS_ERRORS[causes[0].code].status : 400;
  const body: OrdersErrorBody = { errors: [...causes] };
  return { status, body };
}

/** Groups issues by code, in the order the codes first appear, one `details` list per code. */
export function groupIssues(issues: readonly { code: OrdersErrorCode; detail: string }[]): KnownOrdersCause[] {
  const detailsByCode = new Map<OrdersErrorCode, string[]>();
  for (const issue of issues) {
    const details = detailsByCode.get(issue.code) ?? [];
    details.push(issue.detail);
    detailsByCode.set(issue.code, details);
  }
  return [...detailsByCode].map(([code, details]) => ordersCause(code, details));
}
