import type { temporal } from '@temporalio/proto';
import { tsToMs } from '@temporalio/common/lib/time';

/** The delays the run asked its timers for, in order: what the workflow decided, not how long anything took. */
export function timerDelaysMs(history: temporal.api.history.v1.IHistory): number[] {
  return (history.events ?? []).flatMap((event) => (event.timerStartedEventAttributes?.startToFireTimeout ? [tsToMs(event.timerStartedEventAttributes.startToFireTimeout)] : []));
}
