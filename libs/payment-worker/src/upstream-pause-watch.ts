import { setTimeout as sleep } from 'node:timers/promises';
import { Logger } from '@nestjs/common';
import { type Client, WorkflowNotFoundError } from '@temporalio/client';
import { NO_UPSTREAM_PAUSE, UPSTREAM_PAUSE_MEMO_FIELD, upstreamPauseWorkflowId, type UpstreamPause } from '@app/contracts';
import type { WorkerMetrics } from './worker-metrics';

/** How often a worker reads its merchant's pause: an operator's pause holds new attempts within about this long. */
export const UPSTREAM_PAUSE_REFRESH_MS = 1_000;
/** One read's bound; past it the last state known stands until the next. */
const READ_TIMEOUT_MS = 2_000;

/** A merchant's upstream pause as a worker last knew it: what an attempt asks before it goes. */
export interface KnownUpstreamPause {
  readonly current: UpstreamPause;
}

/**
 * One merchant's upstream pause as this worker knows it (docs/operations.md, "Pausing a merchant's
 * upstream attempts"): read from the control workflow's memo about every second, so an attempt
 * asks memory, never Temporal, whether it may go (a round trip per attempt would cost every
 * payment). A read that fails keeps the last state known: a pause is not lifted by an outage of
 * Temporal, nor set by one.
 */
export class UpstreamPauseWatch implements KnownUpstreamPause {
  private state: UpstreamPause = NO_UPSTREAM_PAUSE;
  private readonly logger = new Logger('UpstreamPause');

  constructor(
    private readonly client: Client,
    private readonly taskQueue: string,
    private readonly merchant: string,
    private readonly metrics: WorkerMetrics,
  ) {}

  get current(): UpstreamPause {
    return this.state;
  }

  /** Reads the pause again every UPSTREAM_PAUSE_REFRESH_MS while `watching()` holds (its worker runs). */
  async watch(watching: () => boolean): Promise<void> {
    while (watching()) {
      await sleep(UPSTREAM_PAUSE_REFRESH_MS, undefined, { ref: false });
      if (watching()) await this.refresh();
    }
  }

  /** Reads the control workflow's memo once; none running means no pause. */
  async refresh(): Promise<void> {
    let next: UpstreamPause;
    try {
      const description = await this.client.withDeadline(Date.now() + READ_TIMEOUT_MS, () => this.client.workflow.getHandle(upstreamPauseWorkflowId(this.taskQueue)).describe());
      const memo = description.memo?.[UPSTREAM_PAUSE_MEMO_FIELD] as UpstreamPause | undefined;
      next = description.status.name === 'RUNNING' && memo !== undefined ? memo : NO_UPSTREAM_PAUSE;
    } catch (error) {
      if (!(error instanceof WorkflowNotFoundError)) {
        this.logger.warn(
          `could not read the upstream pause of merchant "${this.merchant}" (kept: ${this.state.paused ? 'paused' : 'not paused'}): ${error instanceof Error ? error.message : String(error)}`,
        );
        return;
      }
      next = NO_UPSTREAM_PAUSE;
    }
    if (next.paused !== this.state.paused) {
      this.logger.log(
        `upstream attempts of merchant "${this.merchant}" ${next.paused ? 'paused' : 'resumed'} by ${next.operator ?? 'nobody'} at ${next.since ?? 'an unknown time'}: ${next.reason ?? 'no reason given'}`,
      );
    }
    this.state = next;
    this.metrics.upstreamPaused.set({ merchant: this.merchant }, next.paused ? 1 : 0);
  }
}
