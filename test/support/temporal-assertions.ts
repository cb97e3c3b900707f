import { inspect } from 'node:util';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';

/** Whether any run was ever started with this workflow ID (= idempotency key). */
export async function runExists(client: Client, workflowId: string): Promise<boolean> {
  try {
    await client.workflow.getHandle(workflowId).describe();
    return true;
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return false;
    throw error;
  }
}

/** How much of the last value a timed-out poll shows: enough to diagnose, not a whole history. */
const SHOWN_CHARACTERS = 2_000;

/**
 * Polls until `read` returns a value `done` accepts, and returns that value; bounded, so a broken
 * system fails the test: past `timeoutMs` it throws, showing the last value read.
 */
export async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) {
      const shown = inspect(value, { depth: 6, breakLength: Infinity });
      throw new Error(`eventually: not done after ${timeoutMs} ms; last value: ${shown.length > SHOWN_CHARACTERS ? `${shown.slice(0, SHOWN_CHARACTERS)} …` : shown}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** The activity type a local activity's marker records (Temporal's core SDK marker, JSON data); null for any other event. */
export function localActivityTypeOf(event: temporal.api.history.v1.IHistoryEvent): string | null {
  const marker = event.markerRecordedEventAttributes;
  const data = marker?.markerName === 'core_local_activity' ? marker.details?.data?.payloads?.[0]?.data : undefined;
  if (data === undefined || data === null) return null;
  const recorded = JSON.parse(Buffer.from(data).toString('utf8')) as { activity_type?: unknown };
  return typeof recorded.activity_type === 'string' ? recorded.activity_type : null;
}
