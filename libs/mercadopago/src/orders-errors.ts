/** One entry of the Orders API error body. */
export type OrdersErrorCause = {
  code: string;
  message: string;
  details?: string[];
};

/** The Orders API error body: `{"errors":[{"code","message","details"?}]}`. */
export type OrdersErrorBody = {
  errors: OrdersErrorCause[];
};

/** The errors the orchestrator itself produces in the Orders dialect, with their status and message. */
export const ordersErrors = {
  unauthorized: { status: 401, message: 'Invalid or missing access token.' },
  empty_required_header: {
    status: 400,
    message: "The header 'X-Idempotency-Key' is required and was not sent.",
  },
  invalid_idempotency_key_length: {
    status: 400,
    message: "The header 'X-Idempotency-Key' must be 1 to 64 printable ASCII characters.",
  },
  invalid_path_param: { status: 400, message: 'path param order id is invalid' },
  idempotency_key_already_used: {
    status: 409,
    message: 'The idempotency key was already used with a different request. Send a new key.',
  },
  resource_locked: {
    status: 423,
    message: 'The request with this idempotency key is still being processed. Try again later.',
  },
  idempotency_validation_failed: {
    status: 500,
    message: 'Idempotency validation failed. Send the request again with the same key.',
  },
  internal_error: { status: 500, message: 'Internal error. Send the request again with the same key.' },
  not_found: { status: 404, message: 'Route not found.' },
  order_not_found: { status: 404, message: 'Order not found.' },
  payment_run_not_found: { status: 404, message: 'No payment run with this idempotency key.' },
  json_syntax_error: { status: 400, message: 'The request body is not valid JSON.' },
  unrepresentable_number: {
    status: 400,
    message:
      'A number in the request body is beyond the range or precision of a 64-bit double and would change in transit. Send it within ±1.7e308 and with at most 15 significant digits.',
  },
  invalid_properties: { status: 400, message: 'The request body must be a JSON object.' },
  payload_too_large: { status: 413, message: 'The request body is too large.' },
  /** A notification's x-signature (POST /webhooks/mercadopago): two codes, so a sender can tell a wrong secret from a slow clock. */
  invalid_signature: { status: 401, message: "The x-signature header is missing, malformed, or not Mercado Pago's signature of this notification with a configured secret." },
  stale_signature: { status: 401, message: "The x-signature timestamp is further from the receiver's clock than WEBHOOK_SIGNATURE_TOLERANCE_MS allows." },
  /**
   * A client over one of its quotas (docs/api.md, "Quotas"): sent with Retry-After, which
   * Mercado Pago's SDKs honour when they retry a 429, before anything started.
   */
  too_many_requests: { status: 429, message: "This client sent more requests than its rate allows. Send again after the Retry-After header's seconds." },
  too_many_runs_in_flight: {
    status: 429,
    message: "This client has as many payment runs in progress as it may. Send again after the Retry-After header's seconds, or once a run has finished.",
  },
  unsupported_media_type: { status: 415, message: 'The request body must be JSON, sent with Content-Type: application/json.' },
  /** The three below are answered by the HTTP server itself, before any route is known. */
  malformed_request: { status: 400, message: 'The request is not valid HTTP/1.1.' },
  request_timeout: { status: 408, message: 'The request headers or body did not arrive in time.' },
  request_header_fields_too_large: { status: 431, message: 'The request headers are too large.' },
} as const satisfies Record<string, { status: number; message: string }>;

export type OrdersErrorCode = keyof typeof ordersErrors;

export function ordersErrorBody(code: OrdersErrorCode): OrdersErrorBody {
  return { errors: [{ code, message: ordersErrors[code].message }] };
}
