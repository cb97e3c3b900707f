import { defineSignal } from '@temporalio/workflow';

/**
 * A merchant's upstream pause, set by an operator during a known incident (docs/operations.md,
 * "Pausing a merchant's upstream attempts"): while `paused`, the merchant's workers send none of its
 * new attempts; its runs wait, their paused time not counted against their retry budget.
 */
export interface UpstreamPause {
  paused: boolean;
  /** The operator who set this state (from the operator token or sign-in), null before anyone did. */
  operator: string | null;
  /** Why, as the operator said it. */
  reason: string | null;
  /** ISO 8601 time the state was set. */
  since: string | null;
}

export const NO_UPSTREAM_PAUSE: UpstreamPause = { paused: false, operator: null, reason: null, since: null };

/**
 * The control workflow that holds a merchant's pause, one in each merchant namespace for the task
 * queue its workers poll (`upstream-pause-payments` by default): it runs on that queue, so a
 * deployment on another queue, a test stack among them, has a pause of its own.
 */
export function upstreamPauseWorkflowId(taskQueue: string): string {
  return `upstream-pause-${taskQueue}`;
}
export const UPSTREAM_PAUSE_WORKFLOW = 'upstreamPauseWorkflow';
/** The memo field holding the state: workers read it with a describe (no workflow task), the Web UI shows it. */
export const UPSTREAM_PAUSE_MEMO_FIELD = 'upstreamPause';

/** Sets the pause state; the workflow keeps the latest. */
export const setUpstreamPauseSignal = defineSignal<[UpstreamPause]>('setUpstreamPause');
