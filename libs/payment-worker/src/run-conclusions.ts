import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { coresdk } from '@temporalio/proto';
import type { InjectedSinks } from '@temporalio/worker';
import type { RunConclusionSinks } from '@app/contracts';

/** What a run's first workflow task in this process came to, as far as the API may rely on it. */
export type RunConclusion =
  /** The server accepted the task completing the run with this result: the run's answer. */
  | { kind: 'returned'; result: unknown }
  /** Not known here (the run went on elsewhere, failed, or its completion was lost): ask Temporal. */
  | { kind: 'elsewhere' };

/**
 * How long what a run reported is kept for a watch that has not asked yet: its request asks as soon
 * as its eager start is answered, so a report waits for it a few milliseconds, more only when the
 * event loop is loaded. A report older than this is for a request that went away.
 */
const KEPT_MS = 5_000;

/**
 * The most reports kept for watches that have not asked yet, the oldest dropped first: it bounds
 * the memory (each may hold a run's result) whatever the load, since reports are kept only for a
 * few milliseconds each when the API keeps up. A watch whose report was dropped waits on its
 * patience, then answers as a run still going would: a slower answer, never a wrong one.
 */
const MAX_KEPT_REPORTS = 1_000;

const WORKFLOW_EXECUTION_ENDING = coresdk.workflow_activation.RemoveFromCache.EvictionReason.WORKFLOW_EXECUTION_ENDING;

interface ReportedRun {
  at: number;
  /** The result the run returned, while the server's acceptance is unknown. */
  returned: Payload | null;
  conclusion: RunConclusion | null;
}

/**
 * Where the API's hosted workers tell the API's requests how their runs ended, so that a request
 * which started a run eagerly is answered without waiting on Temporal for the result
 * (docs/architecture.md, "Answering from the hosted worker").
 *
 * A result counts only once the server has accepted the workflow task completing the run, and the
 * one sign of that a worker gets is the run's eviction with reason WORKFLOW_EXECUTION_ENDING: Core
 * (sdk-core 1.24, `workflow_stream.rs`) asks for it only after RespondWorkflowTaskCompleted
 * returned, and when that call fails it has already asked for an eviction with the failure's reason
 * (TASK_NOT_FOUND, UNHANDLED_COMMAND, FATAL), which is the one delivered. The result itself comes
 * from the run's `returned` sink call (libs/workflows/src/run-conclusions.interceptor.ts), made
 * before the completion is even sent. Anything else (the run left the process, another eviction,
 * the workers stopped) concludes `elsewhere`, and the request waits on Temporal as it always did.
 */
export class RunConclusions {
  private readonly runs = new Map<string, ReportedRun>();
  private readonly waiting = new Map<string, (conclusion: RunConclusion) => void>();
  /** Bumped whenever hosted workers stop: a start sent to workers that are gone hears nothing here. */
  private epoch = 0;

  /** The sink the payment workflows' interceptor calls; a worker without watchers (standalone) gets an inert one. */
  sinks(): InjectedSinks<RunConclusionSinks> {
    return {
      runConclusions: {
        returned: { fn: (info, result) => this.report(info.runId, { returned: result, conclusion: null }), callDuringReplay: false },
        leftProcess: { fn: (info) => this.report(info.runId, { returned: null, conclusion: { kind: 'elsewhere' } }), callDuringReplay: false },
      },
    };
  }

  /**
   * A hosted worker evicted a run from its cache, for `reason`. Only the evictions of runs a request
   * is watching or that reported through the sink count: the others (other workflow types, runs
   * nobody started eagerly) would only fill the memory.
   */
  evicted(runId: string, reason: coresdk.workflow_activation.RemoveFromCache.EvictionReason | null | undefined): void {
    const run = this.runs.get(runId);
    if (run === undefined && !this.waiting.has(runId)) return;
    const returned = run?.returned ?? null;
    const conclusion: RunConclusion =
      reason === WORKFLOW_EXECUTION_ENDING && returned !== null ? { kind: 'returned', result: defaultPayloadConverter.fromPayload(returned) } : { kind: 'elsewhere' };
    this.report(runId, { returned: null, conclusion });
  }

  /** The hosted workers stopped (or failed): none of their runs will report any more. */
  abandonAll(): void {
    this.epoch += 1;
    this.runs.clear();
    for (const resolve of this.waiting.values()) resolve({ kind: 'elsewhere' });
    this.waiting.clear();
  }

  /** Read before an eager start, handed to `conclusion` after it: tells whether the workers stopped in between. */
  get currentEpoch(): number {
    return this.epoch;
  }

  /**
   * How the run `runId`, started eagerly while `epoch` was current, concluded in this process.
   * Settles `elsewhere` when the workers stopped since, or when `signal` aborts.
   */
  conclusion(runId: string, epoch: number, signal: AbortSignal): Promise<RunConclusion> {
    if (epoch !== this.epoch || signal.aborted) return Promise.resolve({ kind: 'elsewhere' });
    const known = this.runs.get(runId)?.conclusion ?? null;
    if (known !== null) {
      this.runs.delete(runId);
      return Promise.resolve(known);
    }
    return new Promise((resolve) => {
      const settle = (conclusion: RunConclusion): void => {
        signal.removeEventListener('abort', abort);
        this.waiting.delete(runId);
        this.runs.delete(runId);
        resolve(conclusion);
      };
      const abort = (): void => settle({ kind: 'elsewhere' });
      signal.addEventListener('abort', abort);
      this.waiting.set(runId, settle);
    });
  }

  private report(runId: string, update: Omit<ReportedRun, 'at'>): void {
    const now = Date.now();
    // Oldest first (a Map keeps insertion order): drop what nobody asked for in time.
    for (const [id, run] of this.runs) {
      if (now - run.at < KEPT_MS) break;
      this.runs.delete(id);
    }
    const run = this.runs.get(runId);
    // A run concludes once: after `leftProcess`, even its ending here stays `elsewhere`.
    if (run?.conclusion != null) return;
    const waiter = this.waiting.get(runId);
    if (update.conclusion !== null && waiter !== undefined) return waiter(update.conclusion);
    if (run === undefined && this.runs.size >= MAX_KEPT_REPORTS) {
      const oldest = this.runs.keys().next().value;
      if (oldest !== undefined) this.runs.delete(oldest);
    }
    // Once concluded, the result payload is of no further use (a `returned` conclusion holds it decoded).
    const returned = update.conclusion === null ? (update.returned ?? run?.returned ?? null) : null;
    this.runs.set(runId, { at: run?.at ?? now, returned, conclusion: update.conclusion });
  }
}
