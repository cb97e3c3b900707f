import type { JsonValue, PaymentOperation } from '@app/contracts';
import type { ApiProblem } from '../http/problems/api-problem';
import type { HttpAnswer } from '../http/problems/http-answer';
import type { PaymentRunOutcome } from '../http/dialects/payment-run-outcome';
import { acceptBody, paymentWrites, type PaymentWriteDeclaration } from './payment-write-declarations';
import { RETRY_AFTER_HEADER, TOO_MANY_REQUESTS_SUMMARY, type DocumentedExample, type DocumentedResponse } from '../openapi/documented-response';
import * as published from '../openapi/published-examples';
import { jsonSchemaOf, orderSchema, ordersErrorSchema, walletConnectErrorSchema, walletConnectPaymentSchema } from '../openapi/response-schemas';

/**
 * Every answer a payment write can give, status by status, for the OpenAPI document. The
 * orchestrator's own errors are produced by the same dialect functions that answer real
 * requests, so their examples cannot drift from the bodies; upstream answers carry Mercado
 * Pago's published examples, named `upstream_…`.
 */

/** The body our validation refuses in the `invalid_body` examples: a JSON array where an object belongs. */
export const INVALID_BODY_EXAMPLE: JsonValue = [];

type OwnOutcome = Exclude<PaymentRunOutcome['kind'], 'answered'>;

/** The orchestrator's own answers, each named as the drift test and the docs refer to it. */
const OWN_ANSWERS: ReadonlyArray<{ name: ApiProblem | OwnOutcome; summary: string; appliesTo?: (write: PaymentWriteDeclaration) => boolean; retryAfter?: true }> = [
  { name: 'unauthorized', summary: 'No bearer token, or one not in API_TOKENS.' },
  { name: 'missing_idempotency_key', summary: 'No X-Idempotency-Key header, or an empty one.' },
  { name: 'invalid_idempotency_key', summary: 'A key longer than 64 characters or with characters outside ! to ~.' },
  { name: 'invalid_path_param', summary: 'An order id that is not ORD followed by 26 uppercase letters or digits.', appliesTo: (write) => write.takesOrderId },
  { name: 'invalid_body', summary: 'A JSON body that is not what the operation takes (here: an array).', appliesTo: (write) => write.body.kind !== 'none' },
  { name: 'json_syntax_error', summary: 'A body sent as JSON that does not parse.' },
  { name: 'unrepresentable_number', summary: 'A JSON number a 64-bit double cannot hold as written (1e400, 12345678901234567890): it would change in transit.' },
  { name: 'payload_too_large', summary: 'A body over 100 kB.' },
  { name: 'unsupported_media_type', summary: 'A body sent with a Content-Type other than application/json.' },
  { name: 'key_reused', summary: 'The key belongs to a different request (another order, client, operation or body).' },
  { name: 'still_running', summary: "The key's run is still working after WAIT_FOR_RESULT_MS; send the same request again." },
  { name: 'gave_up', summary: 'The run found no final upstream answer within UPSTREAM_RETRY_BUDGET_MS; the same request may try again.' },
  { name: 'unverifiable', summary: 'Temporal could not be asked about the key; nothing was called; retry with the same key.' },
  // ClientQuotas sends these with Retry-After, whatever the dialect.
  { name: 'too_many_requests', summary: TOO_MANY_REQUESTS_SUMMARY, retryAfter: true },
  {
    name: 'too_many_runs_in_flight',
    summary:
      'The client has CLIENT_RUNS_IN_FLIGHT runs this API instance started still in progress, and this key has no run: nothing was started; send again after Retry-After. A key that has a run is answered by it as usual.',
    retryAfter: true,
  },
];

const OUTCOMES: ReadonlySet<string> = new Set<OwnOutcome>(['key_reused', 'still_running', 'gave_up', 'unverifiable']);

/** What the orchestrator itself answers for one of its named cases, exactly as the write's dialect words it. */
export function ownAnswer(write: PaymentWriteDeclaration, name: ApiProblem | OwnOutcome): HttpAnswer {
  if (OUTCOMES.has(name)) return write.dialect.outcome({ kind: name as OwnOutcome });
  if (name === 'invalid_body') {
    const refused = acceptBody(write.body, INVALID_BODY_EXAMPLE);
    return write.dialect.problem('invalid_body', 'problem' in refused ? refused.problem : undefined);
  }
  return write.dialect.problem(name as ApiProblem);
}

interface UpstreamAnswer {
  status: number;
  description: string;
  examples?: Record<string, DocumentedExample>;
}

const publishedExample = (summary: string, value: JsonValue): DocumentedExample => ({ summary, value });

const ordersUpstream = {
  order: (status: number, description: string): UpstreamAnswer => ({
    status,
    description,
    examples: { upstream_order: publishedExample("Mercado Pago's order (Process order by ID reference, 200)", published.processedOrder) },
  }),
  validation: {
    status: 400,
    description: "The upstream's validation errors, passed through (e.g. invalid_total_amount, unsupported_properties, invalid_order_mode_for_operation).",
    examples: { upstream_invalid_total_amount: publishedExample('The upstream refused the amounts', published.upstreamOrderErrors.invalid_total_amount) },
  },
  merchantRefused: { status: 401, description: "The upstream refused the merchant's access token: a configuration problem, passed through." },
  declined: {
    status: 402,
    description: 'A payment was declined: the failed payments in `details`, the order under `data`, passed through whole.',
    examples: { upstream_declined: publishedExample('A declined card payment', published.declinedOrder) },
  },
  notFound: {
    status: 404,
    description: 'The order does not exist upstream.',
    examples: { upstream_order_not_found: publishedExample('Unknown order', published.upstreamOrderErrors.order_not_found) },
  },
  wrongState: { status: 409, description: "The upstream refused the operation for the order's state (e.g. cannot_capture_order, order_already_canceled)." },
  unprocessable: { status: 422, description: "The upstream's 422, passed through." },
} as const satisfies Record<string, UpstreamAnswer | ((status: number, description: string) => UpstreamAnswer)>;

/** What the upstream may finally answer for each write: passed through, and replayed byte for byte. */
const UPSTREAM_ANSWERS: { readonly [Operation in PaymentOperation]: readonly UpstreamAnswer[] } = {
  'order.create': [
    ordersUpstream.order(201, 'The order, created (and, in automatic mode, processed).'),
    ordersUpstream.validation,
    ordersUpstream.merchantRefused,
    ordersUpstream.declined,
    ordersUpstream.unprocessable,
  ],
  'order.process': [
    ordersUpstream.order(200, 'The order, processed (also processing/in_process for a pending payment).'),
    ordersUpstream.validation,
    ordersUpstream.merchantRefused,
    ordersUpstream.declined,
    ordersUpstream.notFound,
    ordersUpstream.wrongState,
    ordersUpstream.unprocessable,
  ],
  'order.capture': [
    ordersUpstream.order(200, 'The order, captured.'),
    ordersUpstream.validation,
    ordersUpstream.merchantRefused,
    ordersUpstream.notFound,
    ordersUpstream.wrongState,
    ordersUpstream.unprocessable,
  ],
  'order.cancel': [
    ordersUpstream.order(200, 'The order, canceled.'),
    ordersUpstream.validation,
    ordersUpstream.merchantRefused,
    ordersUpstream.notFound,
    ordersUpstream.wrongState,
    ordersUpstream.unprocessable,
  ],
  'order.refund': [
    ordersUpstream.order(201, 'The order, refunded in full or in part.'),
    ordersUpstream.validation,
    ordersUpstream.merchantRefused,
    ordersUpstream.notFound,
    ordersUpstream.wrongState,
    ordersUpstream.unprocessable,
  ],
  'advanced_payment.create': [
    {
      status: 200,
      description: 'The payment, approved.',
      examples: { upstream_approved: publishedExample('Approved (Wallet Connect payment responses)', published.advancedPayments.approved) },
    },
    {
      status: 201,
      description: 'The payment, rejected.',
      examples: {
        upstream_rejected: publishedExample('Rejected by the card issuer', published.advancedPayments.rejected),
        upstream_insufficient_money: publishedExample('Rejected: not enough money in the account', published.advancedPayments.insufficientMoney),
      },
    },
    { status: 400, description: "The upstream's bad_request, passed through." },
    {
      status: 401,
      description: "The upstream refused the payer token (cause 401003), or the merchant's access token.",
      examples: { upstream_invalid_payer_token: publishedExample('The customer cancelled the wallet agreement', published.advancedPayments.invalidPayerToken) },
    },
  ],
};

const REPLAYED_HEADER = {
  description: 'true when this answer belongs to a run the request attached to rather than started; the body is then byte for byte the first answer.',
  schema: { type: 'string', enum: ['true'] },
};

/** Every documented status of a payment write, with schemas, examples and headers. */
export function documentedWriteResponses(operation: PaymentOperation): DocumentedResponse[] {
  const write = paymentWrites[operation];
  const walletConnect = operation === 'advanced_payment.create';
  const successSchema = jsonSchemaOf(walletConnect ? walletConnectPaymentSchema : orderSchema);
  const errorSchema = jsonSchemaOf(walletConnect ? walletConnectErrorSchema : ordersErrorSchema);
  const byStatus = new Map<number, DocumentedResponse>();
  const at = (status: number): DocumentedResponse => {
    const existing = byStatus.get(status);
    if (existing !== undefined) return existing;
    const created: DocumentedResponse = { status, description: '', schema: status < 300 ? successSchema : errorSchema, examples: {}, headers: {} };
    byStatus.set(status, created);
    return created;
  };

  for (const upstream of UPSTREAM_ANSWERS[operation]) {
    const response = at(upstream.status);
    response.description = joinSentences(response.description, upstream.description);
    Object.assign(response.examples, upstream.examples ?? {});
    response.headers['Idempotent-Replayed'] = REPLAYED_HEADER;
  }
  for (const own of OWN_ANSWERS) {
    if (own.appliesTo !== undefined && !own.appliesTo(write)) continue;
    const answer = ownAnswer(write, own.name);
    const response = at(answer.status);
    response.description = joinSentences(response.description, own.summary);
    response.examples[own.name] = { summary: own.summary, value: answer.body };
    if (own.retryAfter === true || answer.headers?.['Retry-After'] !== undefined) response.headers['Retry-After'] = RETRY_AFTER_HEADER;
  }
  return [...byStatus.values()].sort((left, right) => left.status - right.status);
}

function joinSentences(first: string, second: string): string {
  return first === '' ? second : `${first} ${second}`;
}
