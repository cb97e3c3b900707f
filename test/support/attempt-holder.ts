import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import type { JournalEntry } from '../../apps/simulator/src/journal/journal';
import { newKey, type ApiClient } from './api-client';
import type { SimulatorClient } from './simulator-client';
import type { TestStack } from './stack';
import { eventually } from './temporal-assertions';

const { PendingActivityState } = temporal.api.enums.v1;

/**
 * The identity (`<pid>@<host>`) of the worker running a run's in-flight upstream attempt, or null:
 * an activity task's worker once it started it (docs/architecture.md: retries are activity tasks,
 * taken by standalone workers only), else the worker of the workflow task started and not yet
 * closed, which runs a local attempt inside it (the first attempt, in the API's hosted worker).
 */
export async function attemptHolder(client: Client, key: string): Promise<string | null> {
  const handle = client.workflow.getHandle(key);
  try {
    const { raw } = await handle.describe();
    const started = (raw.pendingActivities ?? []).find((activity) => activity.state === PendingActivityState.PENDING_ACTIVITY_STATE_STARTED);
    if (started !== undefined) return started.lastWorkerIdentity ?? null;
    const events = (await handle.fetchHistory()).events ?? [];
    const lastTaskEvent = [...events]
      .reverse()
      .find(
        (event) =>
          event.workflowTaskStartedEventAttributes != null ||
          event.workflowTaskCompletedEventAttributes != null ||
          event.workflowTaskFailedEventAttributes != null ||
          event.workflowTaskTimedOutEventAttributes != null,
      );
    return lastTaskEvent?.workflowTaskStartedEventAttributes?.identity ?? null;
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return null;
    throw error;
  }
}

/**
 * Polls until the simulator holds a call of the run unanswered (`unanswered` finds it in the
 * journal, which records a call as it arrives) while the stack's `holder` process runs the run's
 * attempt, and returns that call: from then on, killing `holder` kills the call mid-flight.
 */
export async function untilHeldBy(stack: TestStack, key: string, holder: 'api' | 'worker', unanswered: () => Promise<JournalEntry | undefined>): Promise<JournalEntry> {
  const identity = `${stack.pid(holder)}@`;
  const seen = await eventually(
    async () => ({ call: await unanswered(), holder: await attemptHolder(stack.temporal, key) }),
    (state) => state.call !== undefined && state.holder?.startsWith(identity) === true,
    15_000,
  );
  return seen.call!;
}

/** The calls journalled after `held` (as read again later): the attempts that followed a killed one. */
export function callsAfter(calls: readonly JournalEntry[], held: JournalEntry): JournalEntry[] {
  const index = calls.findIndex((call) => call.time === held.time && call.idempotency_key === held.idempotency_key);
  if (index < 0) throw new Error(`the held call (${held.time}) is not among the calls read later`);
  return calls.slice(index + 1);
}

/**
 * Whether the run's first workflow task was handed over with the start, to the worker of process
 * `apiPid`: the server then records it scheduled and started in the start's own write,
 * microseconds apart. Dispatch through matching takes several calls between services (at least
 * hundreds of them).
 */
export async function startedEagerly(client: Client, key: string, apiPid: number): Promise<boolean> {
  const [, scheduled, taskStarted] = (await client.workflow.getHandle(key).fetchHistory()).events ?? [];
  const time = (event: typeof scheduled) => Number(event?.eventTime?.seconds ?? 0) * 1e9 + (event?.eventTime?.nanos ?? 0);
  return (
    scheduled?.workflowTaskScheduledEventAttributes != null &&
    time(taskStarted) - time(scheduled) < 200_000 &&
    (taskStarted?.workflowTaskStartedEventAttributes?.identity ?? '').startsWith(`${apiPid}@`)
  );
}

/** The API's hosted worker connects in the background after the API listens: polls until a start through `api` is eager. */
export async function untilStartsEagerly(client: Client, api: ApiClient, simulator: SimulatorClient, apiPid: number): Promise<void> {
  await eventually(
    async () => {
      const key = newKey();
      await api.processOrder(await simulator.orderIn('created'), { key });
      return startedEagerly(client, key, apiPid);
    },
    (eager) => eager,
  );
}
