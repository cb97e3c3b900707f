/**
 * What can be wrong with a request before or around its run, independent of the API family
 * that answers it. Each response dialect gives every problem its documented status and body.
 */
export type ApiProblem =
  | 'unauthorized'
  | 'missing_idempotency_key'
  | 'invalid_idempotency_key'
  | 'invalid_path_param'
  | 'invalid_body'
  | 'json_syntax_error'
  | 'unrepresentable_number'
  | 'malformed_request'
  | 'not_found'
  /** An order the caller may not act on is answered as one that does not exist. */
  | 'order_not_found'
  /** No run with this key that the caller may see (GET /v1/payment-runs/{key}). */
  | 'payment_run_not_found'
  | 'payload_too_large'
  | 'unsupported_media_type'
  /** Over the client's request rate (ClientQuotas); comes with Retry-After. */
  | 'too_many_requests'
  /** The client has CLIENT_RUNS_IN_FLIGHT runs this instance started in progress; comes with Retry-After. */
  | 'too_many_runs_in_flight'
  | 'internal_error';

/** Thrown where a problem is found; the exception filter answers it in the route's dialect. */
export class ApiProblemException extends Error {
  constructor(
    readonly problem: ApiProblem,
    /** Safe to show the caller: never request data beyond property names. */
    readonly detail?: string,
    /** Sent with the answer in every dialect (Retry-After of a 429). */
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(detail ?? problem);
    this.name = 'ApiProblemException';
  }
}
