import type { temporal } from '@temporalio/proto';
import { tsToMs } from '@temporalio/common/lib/time';

/** The delays the run asked its timers for, in order: what the workflow decided, not how long anything took. */
export function timerDelaysMs(history: temporal.api.history.v1.IHistory): number[] {
  return (history.events ?? []).flatMap((event) => (event.timerStartedEventAttributes?.startToFireTimeout ? [tsToMs(event.timerStartedEventAttributes.startToFireTimeout)] : []));
}

/** The task queue each activity of `activityType` was scheduled on, in order: where the workflow sent it. */
export function activityTaskQueues(history: temporal.api.history.v1.IHistory, activityType: string): string[] {
  return (history.events ?? []).flatMap((event) => {
    const scheduled = event.activityTaskScheduledEventAttributes;
    return scheduled?.activityType?.name === activityType ? [scheduled.taskQueue?.name ?? ''] : [];
  });
}
