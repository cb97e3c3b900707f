import { ApplicationFailure, proxyActivities, proxyLocalActivities, setHandler, setWorkflowOptions, sleep, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { PaymentActivities } from '../../contracts/src/activities';
import type { RunEventSubject } from '../../contracts/src/callbacks';
import type { PaymentWriteResult } from '../../contracts/src/payment-operation';
import { RETRY_BUDGET_EXHAUSTED } from '../../contracts/src/failure-types';
import type { PaymentRunState, PaymentWriteInput } from '../../contracts/src/payment-write';
import { searchAttributes } from '../../contracts/src/search-attributes';
import { runStateQuery } from '../../contracts/src/workflow-definitions';
import { awaitingFinalState } from '../../mercadopago/src/awaiting-final-state';
import { ACTIVITY_TIMEOUT_MARGIN_MS, READ_ATTEMPTS } from './activity-options';
import { answerAttributes } from './payment-run/answer-attributes';
import { attemptOnce } from './payment-run/attempt-once';
import { attemptHandOver, callBack, runEventSubject } from './payment-run/call-back';
import { recordOwner } from './payment-run/record-owner';
import { settleByReading } from './payment-run/settle-by-reading';
import { startFollowUp } from './payment-run/start-follow-up';
import { UPSTREAM_PAUSE, waitWhilePaused } from './payment-run/wait-while-paused';
import { retryDelayMs } from './retry-delay';
import { refuseUnknownRevision, takesStep } from './payment-run/steps-revision';

/**
 * One idempotent payment write, run once per idempotency key. Each attempt is one activity call
 * with the same upstream key; the workflow owns the retry loop so that its state (attempts, last
 * status, next attempt) is queryable and its backoff honours the upstream's Retry-After.
 *
 * The story: attempt until the upstream answers for good, then answer (record the order's owner,
 * then follow the payment up or call the client back). When the budget runs out first, settle the
 * write by reading its order, or give up: a failed run frees its key (ALLOW_DUPLICATE_FAILED_ONLY),
 * so the caller can try again. Each step lives in ./payment-run/, with the patch marker that lets
 * histories recorded before it replay.
 */
export async function paymentWriteWorkflow(input: PaymentWriteInput): Promise<PaymentWriteResult> {
  refuseUnknownRevision(input);
  const state: PaymentRunState = {
    phase: 'calling_upstream',
    attempts: 0,
    lastUpstreamStatus: null,
    lastFailureReason: null,
    nextAttemptAt: null,
  };
  setHandler(runStateQuery, () => state);
  const activities = attemptActivities(input);
  const eventSubject = runEventSubject(input);
  const handOver = attemptHandOver(input, eventSubject);
  let deadline = workflowInfo().runStartTime.getTime() + input.retry.budgetMs;
  let pausedLooks = 0;

  for (;;) {
    state.phase = 'calling_upstream';
    state.nextAttemptAt = null;
    state.attempts += 1;
    const attempt = await attemptOnce(activities.sendFor(state.attempts), input, handOver);
    if (attempt.kind === 'paused' && takesStep(input, UPSTREAM_PAUSE)) {
      // Nothing was sent: not an attempt, and the time paused is not the budget's.
      state.attempts -= 1;
      pausedLooks += 1;
      deadline += await waitWhilePaused(state, attempt, pausedLooks);
      continue;
    }
    pausedLooks = 0;
    state.lastUpstreamStatus = attempt.status;
    if (attempt.kind === 'final') return answer(input, state, { status: attempt.status, body: attempt.body }, { eventSubject, handedOver: attempt.handedOver === true });

    state.lastFailureReason = attempt.reason;
    const delay = retryDelayMs(input.retry, state.attempts, attempt.retryAfterMs, Math.random);
    if (Date.now() + delay > deadline) return settleOrGiveUp(input, state, activities.readOrder, attempt.reason, eventSubject);
    state.phase = 'waiting_to_retry';
    state.nextAttemptAt = new Date(Date.now() + delay).toISOString();
    await sleep(delay);
  }
}

/**
 * A payment run stays on the build that started it (Worker Deployment versioning, with
 * WORKER_BUILD_ID set): a rollout never replays a run that may be mid-call to the upstream on
 * other code, and the old build's workers stay until its pinned runs end (within their execution
 * timeout: docs/operations.md, "Rolling out a new build").
 *
 * Only on a versioned worker, though: Temporal refuses every workflow task completion that carries
 * a versioning behaviour from a worker without versioned deployment options ("versioning behavior
 * cannot be specified without deployment options being set with versioned mode"), so a constant
 * PINNED made every payment of an unversioned stack (the default) answer 423. The SDK's getter form
 * of setWorkflowOptions is called once per run, before the workflow function, and may read
 * workflowInfo() (@temporalio/workflow 1.24, setWorkflowOptions). Its currentDeploymentVersion is
 * the version of the worker completing the run's first task, read back from the history on replay
 * (so deterministic); an unversioned worker reports only its SDK build ID there, under an empty
 * deployment name (sdk-core's computed_deployment_version), which is what tells the two apart.
 * A versioned worker's default (AUTO_UPGRADE, workerDeploymentOptions in @app/config) covers the
 * runs started unversioned before the first versioned rollout, which then move to the current
 * version and replay there (https://docs.temporal.io/production-deployment/worker-deployments/unversioned-to-versioned-migration).
 */
export function paymentRunVersioning(): { versioningBehavior?: 'PINNED' } {
  return (workflowInfo().currentDeploymentVersion?.deploymentName ?? '') === '' ? {} : { versioningBehavior: 'PINNED' };
}
setWorkflowOptions(paymentRunVersioning, paymentWriteWorkflow);

/**
 * Attempts run as the input says (`attemptActivity`, libs/contracts/src/payment-write.ts); the
 * give-up read is always an activity task, which Temporal may retry since a read changes nothing.
 */
function attemptActivities(input: PaymentWriteInput) {
  const options = {
    startToCloseTimeout: input.attemptTimeoutMs + ACTIVITY_TIMEOUT_MARGIN_MS,
    // The run's loop retries; Temporal must not add a second, invisible retry layer.
    retry: { maximumAttempts: 1 },
  };
  const local = proxyLocalActivities<PaymentActivities>(options);
  const regular = proxyActivities<PaymentActivities>(options);
  return {
    sendFor: (attempt: number) => (input.attemptActivity === 'local' || (input.attemptActivity === 'first_local' && attempt === 1) ? local : regular).sendUpstreamRequest,
    readOrder: proxyActivities<PaymentActivities>({ ...options, retry: { maximumAttempts: READ_ATTEMPTS } }).readUpstreamOrder,
  };
}

/**
 * The upstream answered for good. First of all, the order's owner is recorded: the order id reaches
 * the search attributes (the status resource reads it there), a callback, a follow-up and the
 * answer only after that (a run with an owner to record gives its attempts no hand-over). Then an
 * answer that leaves its payment waiting is followed up; any other is final, and the client is
 * called back, unless the attempt already handed its event over.
 */
async function answer(
  input: PaymentWriteInput,
  state: PaymentRunState,
  result: PaymentWriteResult,
  callback: { eventSubject: RunEventSubject | null; handedOver: boolean },
): Promise<PaymentWriteResult> {
  const ownerRecorded = await recordOwner(input, result);
  completed(state, result.status);
  upsertSearchAttributes(answerAttributes(input, result.status, result.body));
  const awaiting = awaitingFinalState(input.operation, result);
  if (awaiting !== null) await startFollowUp(input, awaiting, result);
  else if (!callback.handedOver) await callBack(input, { type: 'payment_run.final', state: 'final', answer: result }, callback.eventSubject);
  return ownerRecorded ? { ...result, ownerRecorded: true } : result;
}

/**
 * The retry budget ran out with no final answer. A read of the order may show that the write took
 * effect (its answer was lost on the way back): then that is the answer. Otherwise the run gives
 * up, calls its client back, and fails with RETRY_BUDGET_EXHAUSTED (docs/api.md, "Settling a write
 * nobody answered").
 */
async function settleOrGiveUp(
  input: PaymentWriteInput,
  state: PaymentRunState,
  readOrder: PaymentActivities['readUpstreamOrder'],
  lastReason: string,
  eventSubject: RunEventSubject | null,
): Promise<PaymentWriteResult> {
  const settled = await settleByReading(input, readOrder);
  if (settled !== null) {
    completed(state, settled.status);
    upsertSearchAttributes(answerAttributes(input, settled.status, settled.body));
    if (awaitingFinalState(input.operation, settled) === null) await callBack(input, { type: 'payment_run.final', state: 'final', answer: settled }, eventSubject);
    return settled;
  }
  state.phase = 'gave_up';
  upsertSearchAttributes([{ key: searchAttributes.outcome, value: 'gave_up' }]);
  await callBack(input, { type: 'payment_run.gave_up', state: 'gave_up' }, eventSubject);
  throw ApplicationFailure.create({
    type: RETRY_BUDGET_EXHAUSTED,
    message: `upstream gave no final answer in ${state.attempts} attempts; last: ${lastReason}`,
    nonRetryable: true,
  });
}

function completed(state: PaymentRunState, status: number): void {
  state.phase = 'completed';
  state.lastFailureReason = null;
  state.lastUpstreamStatus = status;
}
