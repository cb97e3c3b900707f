import { defaultPayloadConverter } from '@temporalio/common';
import { coresdk } from '@temporalio/proto';
import type { WorkflowInfo } from '@temporalio/workflow';
import { MAX_KEPT_REPORTS, RunConclusions } from './run-conclusions';

const { EvictionReason } = coresdk.workflow_activation.RemoveFromCache;
const RESULT = { status: 201, body: { id: 'ORD01', status: 'processed' } };

/** What the workflows' interceptor would report through the sink, for run `runId`. */
function report(conclusions: RunConclusions, runId: string, how: 'returned' | 'leftProcess'): void {
  const info = { runId } as WorkflowInfo;
  const sink = conclusions.sinks().runConclusions;
  if (how === 'returned') void sink.returned.fn(info, defaultPayloadConverter.toPayload(RESULT));
  else void sink.leftProcess.fn(info);
}

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

  it('keeps nothing for the evictions of runs that reported nothing and nobody watches (other workflow types)', () => {
    const conclusions = new RunConclusions();
    for (const reason of [EvictionReason.WORKFLOW_EXECUTION_ENDING, EvictionReason.CACHE_FULL, null]) conclusions.evicted(`other-${String(reason)}`, reason);
    expect(conclusions.kept).toBe(0);
  });

  it('keeps at most MAX_KEPT_REPORTS reports nobody asked for, dropping the oldest', async () => {
    const conclusions = new RunConclusions();
    for (let index = 0; index <= MAX_KEPT_REPORTS; index += 1) {
      report(conclusions, `run-${index}`, 'returned');
      conclusions.evicted(`run-${index}`, EvictionReason.WORKFLOW_EXECUTION_ENDING);
    }
    expect(conclusions.kept).toBe(MAX_KEPT_REPORTS);
    await expect(conclusions.conclusion(`run-${MAX_KEPT_REPORTS}`, conclusions.currentEpoch, patience())).resolves.toEqual({ kind: 'returned', result: RESULT });
    const dropped = new AbortController();
    const oldest = conclusions.conclusion('run-0', conclusions.currentEpoch, dropped.signal);
    dropped.abort();
    await expect(oldest).resolves.toEqual({ kind: 'elsewhere' });
  });
});
