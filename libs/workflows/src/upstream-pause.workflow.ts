import { condition, continueAsNew, setHandler, upsertMemo, workflowInfo } from '@temporalio/workflow';
import { setUpstreamPauseSignal, UPSTREAM_PAUSE_MEMO_FIELD, type UpstreamPause } from '../../contracts/src/upstream-pause';

/** Changes one run keeps before it continues as new, so its history stays small however long it lives. */
const CHANGES_PER_RUN = 500;

/**
 * Holds one merchant's upstream pause (docs/operations.md, "Pausing a merchant's upstream
 * attempts"): the latest state an operator set, in its memo, where the workers read it with a
 * describe and the Web UI shows it. It never ends by itself: the API starts it with its first
 * signal (signal-with-start on `upstream-pause`) and it continues as new now and then.
 */
export async function upstreamPauseWorkflow(initial: UpstreamPause): Promise<never> {
  let state = initial;
  let changes = 0;
  upsertMemo({ [UPSTREAM_PAUSE_MEMO_FIELD]: state });
  setHandler(setUpstreamPauseSignal, (next) => {
    state = next;
    changes += 1;
    upsertMemo({ [UPSTREAM_PAUSE_MEMO_FIELD]: state });
  });
  await condition(() => changes >= CHANGES_PER_RUN || workflowInfo().continueAsNewSuggested);
  return continueAsNew<typeof upstreamPauseWorkflow>(state);
}
