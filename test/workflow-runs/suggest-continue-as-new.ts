import type { WorkflowInterceptors } from '@temporalio/workflow';
import { getActivator } from '@temporalio/workflow/lib/global-attributes';

/**
 * Workflow interceptors for the time-skipping server, which never suggests continue-as-new: on
 * every workflow task that resolves an activity (a follow-up's read coming back), they suggest it,
 * as a real server does once the history passes its `limit.historyCount.suggestContinueAsNew`
 * (test/following/follow-up-continue-as-new.e2e-spec.ts sets it low). Deterministic: the suggestion follows the task's jobs, not its timing. The SDK
 * sets workflowInfo() from the task before interceptors run, so this edits it through the activator
 * (the SDK's own module; there is no public setter).
 */
export const interceptors = (): WorkflowInterceptors => ({
  internals: [
    {
      activate(input, next) {
        if (input.activation.jobs?.some((job) => job.resolveActivity != null)) {
          getActivator().mutateWorkflowInfo((info) => ({ ...info, continueAsNewSuggested: true }));
        }
        next(input);
      },
    },
  ],
});
