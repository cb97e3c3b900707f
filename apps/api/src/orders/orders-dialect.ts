import { ordersErrorBody, ordersErrors, type OrdersErrorCode } from '@app/contracts';
import type { PaymentRunOutcome } from '../idempotency/payment-run-outcome';
import type { HttpAnswer } from '../http/http-answer';

/** How soon a caller told "still processing" should ask again. */
export const LOCKED_RETRY_AFTER_SECONDS = 1;

/** The Orders API's documented answer for each outcome of an idempotent run. */
export function ordersAnswer(outcome: PaymentRunOutcome): HttpAnswer {
  switch (outcome.kind) {
    case 'answered':
      return {
        status: outcome.result.status,
        body: outcome.result.body,
        headers: outcome.replayed ? { 'Idempotent-Replayed': 'true' } : {},
      };
    case 'still_running':
      return ordersErrorAnswer('resource_locked', { 'Retry-After': String(LOCKED_RETRY_AFTER_SECONDS) });
    case 'key_reused':
      return ordersErrorAnswer('idempotency_key_already_used');
    case 'gave_up':
      return ordersErrorAnswer('internal_error');
    case 'unverifiable':
      return ordersErrorAnswer('idempotency_validation_failed');
  }
}

export function ordersErrorAnswer(code: OrdersErrorCode, headers: Record<string, string> = {}): HttpAnswer {
  return { status: ordersErrors[code].status, body: ordersErrorBody(code), headers };
}
