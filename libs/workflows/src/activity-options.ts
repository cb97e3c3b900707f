/** Room for an activity to report its own timeout before Temporal declares it lost. */
export const ACTIVITY_TIMEOUT_MARGIN_MS = 5_000;

/** A read changes nothing: Temporal may retry a lost one a few times before the workflow moves on. */
export const READ_ATTEMPTS = 3;

/** A follow-up outlives its horizon by its callback's retries (up to another horizon), and this; so does a run's callback. */
export const CHILD_TIMEOUT_MARGIN_MS = 60 * 60 * 1000;
