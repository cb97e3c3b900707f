import { defaultPayloadConverter } from '@temporalio/common';
import { coresdk } from '@temporalio/proto';
import type { WorkflowInfo } from '@temporalio/workflow';
import { RunConclusions } from './run-conclusions';

const { EvictionReason } = coresdk.workflow_activation.RemoveFromCache;
const RESULT = { status: 201, body: { id: 'ORD01', status: 'processed' } };

/** What the workflows' interceptor would report through the sink, for run `runId`. */
function report(conclusions: RunConclusions, runId: string, how: 'returned' | 'leftProcess'): void {
  const info = { runId } as WorkflowInfo;
  const sink = conclusions.sinks().runConclusions;
  if (how === 'returned') void sink.returned.fn(info, defaultPayloadConverter.toPayload(RESULT));
  else void sink.leftProcess.fn(info);
}

/** A run that returned RESULT and ended in this process, as the sink and the eviction tell it. */
function concludedHere(conclusions: RunConclusions, runId: string): void {
  report(conclusions, runId, 'returned');
  conclusions.evicted(runId, EvictionReason.WORKFLOW_EXECUTION_ENDING);
}

/** A request asking only for what is known now: a kept report answers, anything else is `elsewhere`. */
function askNow(conclusions: RunConclusions, runId: string): Promise<unknown> {
  const patience = new AbortController();
  const asked = conclusions.conclusion(runId, conclusions.currentEpoch, patience.signal);
  patience.abort();
  return asked;
}

/** Its memory bound, as docs/architecture.md ("Answering from the hosted worker") gives it. */
const KEPT_REPORTS = 1_000;
const KEPT_MS = 5_000;

describe('RunConclusions', () => {
  const patience = () => new AbortController().signal;

  it('answers with the result once the run is evicted because its execution ended, whichever the request asks first', async () => {
    const conclusions = new RunConclusions();
    const asked = conclusions.conclusion('run-1', conclusions.currentEpoch, patience());
    report(conclusions, 'run-1', 'returned');
    conclusions.evicted('run-1', EvictionReason.WORKFLOW_EXECUTION_ENDING);
    await expect(asked).resolves.toEqual({ kind: 'returned', result: RESULT });

    report(conclusions, 'run-2', 'returned');
    conclusions.evicted('run-2', EvictionReason.WORKFLOW_EXECUTION_ENDING);
    await expect(conclusions.conclusion('run-2', conclusions.currentEpoch, patience())).resolves.toEqual({ kind: 'returned', result: RESULT });
  });

  it('never answers with a result the server did not accept: the run is evicted for the failed completion instead', async () => {
    const conclusions = new RunConclusions();
    for (const reason of [EvictionReason.TASK_NOT_FOUND, EvictionReason.UNHANDLED_COMMAND, EvictionReason.FATAL, EvictionReason.CACHE_FULL, null]) {
      const runId = `run-${String(reason)}`;
      const asked = conclusions.conclusion(runId, conclusions.currentEpoch, patience());
      report(conclusions, runId, 'returned');
      let settled = false;
      void asked.then(() => (settled = true));
      await Promise.resolve();
      expect(settled).toBe(false);
      conclusions.evicted(runId, reason);
      await expect(asked).resolves.toEqual({ kind: 'elsewhere' });
    }
  });

  it('sends the wait to Temporal when the run left the process, was evicted before returning, or its workers stopped', async () => {
    const conclusions = new RunConclusions();
    const left = conclusions.conclusion('left', conclusions.currentEpoch, patience());
    report(conclusions, 'left', 'leftProcess');
    await expect(left).resolves.toEqual({ kind: 'elsewhere' });
    // Back in this process later (a timer fired), it ends here: it had concluded already.
    report(conclusions, 'left-early', 'leftProcess');
    report(conclusions, 'left-early', 'returned');
    conclusions.evicted('left-early', EvictionReason.WORKFLOW_EXECUTION_ENDING);
    await expect(conclusions.conclusion('left-early', conclusions.currentEpoch, patience())).resolves.toEqual({ kind: 'elsewhere' });

    const neverReturned = conclusions.conclusion('never-returned', conclusions.currentEpoch, patience());
    conclusions.evicted('never-returned', EvictionReason.WORKFLOW_EXECUTION_ENDING);
    await expect(neverReturned).resolves.toEqual({ kind: 'elsewhere' });

    const epoch = conclusions.currentEpoch;
    const waiting = conclusions.conclusion('stopped', epoch, patience());
    conclusions.abandonAll();
    await expect(waiting).resolves.toEqual({ kind: 'elsewhere' });
    // A start sent to the stopped workers, asked about only now.
    await expect(conclusions.conclusion('sent-before-stop', epoch, patience())).resolves.toEqual({ kind: 'elsewhere' });
  });

  it('gives up waiting when the request runs out of patience', async () => {
    const conclusions = new RunConclusions();
    const controller = new AbortController();
    const asked = conclusions.conclusion('slow', conclusions.currentEpoch, controller.signal);
    controller.abort();
    await expect(asked).resolves.toEqual({ kind: 'elsewhere' });
  });

  it('keeps nothing for the evictions of runs that reported nothing and nobody watches (other workflow types): they push no report out', async () => {
    const conclusions = new RunConclusions();
    concludedHere(conclusions, 'watched-later');
    const reasons = [EvictionReason.WORKFLOW_EXECUTION_ENDING, EvictionReason.CACHE_FULL, null];
    for (let index = 0; index < KEPT_REPORTS; index += 1) conclusions.evicted(`other-${index}`, reasons[index % reasons.length]);
    await expect(askNow(conclusions, 'watched-later')).resolves.toEqual({ kind: 'returned', result: RESULT });
  });

  it('keeps the 1,000 newest reports nobody asked for, dropping the oldest', async () => {
    const conclusions = new RunConclusions();
    for (let index = 0; index <= KEPT_REPORTS; index += 1) concludedHere(conclusions, `run-${index}`);
    await expect(askNow(conclusions, 'run-0')).resolves.toEqual({ kind: 'elsewhere' });
    for (let index = 1; index <= KEPT_REPORTS; index += 1) await expect(askNow(conclusions, `run-${index}`)).resolves.toEqual({ kind: 'returned', result: RESULT });
  });

  it('keeps a report nobody asked for 5 s at most, dropping it at the next report after that', async () => {
    let now = Date.now();
    const clock = jest.spyOn(Date, 'now').mockImplementation(() => now);
    try {
      const conclusions = new RunConclusions();
      concludedHere(conclusions, 'asked-in-time');
      concludedHere(conclusions, 'asked-late');
      now += KEPT_MS - 1;
      concludedHere(conclusions, 'reported-later');
      await expect(askNow(conclusions, 'asked-in-time')).resolves.toEqual({ kind: 'returned', result: RESULT });
      now += 1;
      concludedHere(conclusions, 'reported-last');
      await expect(askNow(conclusions, 'asked-late')).resolves.toEqual({ kind: 'elsewhere' });
      await expect(askNow(conclusions, 'reported-later')).resolves.toEqual({ kind: 'returned', result: RESULT });
    } finally {
      clock.mockRestore();
    }
  });
});
