import type { ApiProblem } from '../problems/api-problem';
import type { HttpAnswer } from '../problems/http-answer';
import type { PaymentRunOutcome } from './payment-run-outcome';

/** How a family of routes words its errors, including those the framework raises before any handler. */
export interface ProblemDialect {
  problem(problem: ApiProblem, detail?: string): HttpAnswer;
}

/**
 * How one Mercado Pago API family words its answers. The engine decides what happened; the
 * dialect decides the documented status and body for it.
 */
export interface ResponseDialect extends ProblemDialect {
  outcome(outcome: PaymentRunOutcome): HttpAnswer;
}

/** How soon a caller told "still processing" should ask again. */
const STILL_RUNNING_RETRY_AFTER_SECONDS = 1;

/** A run's final answer, the same for every dialect: the upstream's own status and body. */
export function upstreamAnswer(outcome: Extract<PaymentRunOutcome, { kind: 'answered' }>): HttpAnswer {
  return {
    status: outcome.result.status,
    body: outcome.result.body,
    headers: outcome.replayed ? { 'Idempotent-Replayed': 'true' } : {},
  };
}

export const stillRunningHeaders = { 'Retry-After': String(STILL_RUNNING_RETRY_AFTER_SECONDS) } as const;
