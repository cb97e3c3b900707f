/**
 * The `type` of every ApplicationFailure this product raises, in one place: workflows, worker and
 * tests name them from here. Each is explicit, never a class name, because Temporal matches failure
 * types by name and minification or a rename would change a class's (temporal.md, "Activities,
 * retries, failures"). A type is part of the recorded histories: renaming one breaks their replay.
 */

/** A run that exhausted its retry budget without a final answer; the API answers it with 500 internal_error. */
export const RETRY_BUDGET_EXHAUSTED = 'RetryBudgetExhausted';

/** A run whose attempt the worker refused to send (not the declared route, SECURITY.md): never retried, never sent. */
export const FORBIDDEN_UPSTREAM_REQUEST = 'ForbiddenUpstreamRequest';

/** A callback whose receiver did not answer (network error, timeout): retried by the callback's policy. */
export const CALLBACK_UNANSWERED = 'CallbackUnanswered';

/** A callback whose receiver answered other than 2xx: retried by the callback's policy. */
export const CALLBACK_REFUSED = 'CallbackRefused';
