import type { AnsweredOutcome, FollowUpSinks } from '@app/contracts';
import type { InjectedSinks } from '@temporalio/worker';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** How one upstream attempt went, from the worker's point of view. */
export type AttemptOutcome =
  /** Final answers, named as in the PaymentOutcome search attribute. */
  AnsweredOutcome | 'retryable_status' | 'unreadable_answer' | 'timeout' | 'network_error' | 'cancelled';

/** How one callback delivery attempt went: `refused_status` is any answer but a 2xx (a redirect too). */
export type CallbackDeliveryOutcome = 'delivered' | 'refused_status' | 'network_error' | 'not_configured';

/** Seconds; an attempt is cut at UPSTREAM_TIMEOUT_MS (10 s by default). */
const ATTEMPT_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** The worker's own Prometheus metrics, in a registry of its own so each test builds a fresh set. */
export class WorkerMetrics {
  readonly registry = new Registry();

  readonly upstreamAttempts = new Counter({
    name: 'upstream_attempts_total',
    help: 'Upstream write attempts by payment operation and outcome',
    labelNames: ['operation', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly upstreamDuration = new Histogram({
    name: 'upstream_attempt_duration_seconds',
    help: 'Time from sending an upstream attempt to reading its whole answer (or giving up on it)',
    labelNames: ['operation', 'outcome'] as const,
    buckets: ATTEMPT_BUCKETS,
    registers: [this.registry],
  });

  readonly upstreamCallsRefused = new Counter({
    name: 'upstream_calls_refused_total',
    help: "Upstream calls not sent because the merchant's UPSTREAM_CONCURRENCY_PER_MERCHANT calls were in flight in this process",
    labelNames: ['merchant'] as const,
    registers: [this.registry],
  });

  readonly upstreamPaused = new Gauge({
    name: 'upstream_paused',
    help: "1 while this process holds the merchant's new upstream attempts (an operator's pause, as last read), else 0",
    labelNames: ['merchant'] as const,
    registers: [this.registry],
  });

  readonly followUps = new Counter({
    name: 'follow_ups_total',
    help: 'Follow-ups of orders answered before their final state, by how they ended (PaymentOutcome)',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  readonly callbackDeliveries = new Counter({
    name: 'callback_deliveries_total',
    help: "Attempts to POST a settled payment's event to its client's callback URL, by result",
    labelNames: ['result'] as const,
    registers: [this.registry],
  });

  /** `processMetrics`: also Node's own (CPU, memory, event loop), unless the process already serves them. */
  constructor(
    private readonly coreMetricsUrl: string | null,
    processMetrics = true,
  ) {
    if (processMetrics) collectDefaultMetrics({ register: this.registry });
  }

  /** This process's metrics, then the Temporal SDK's (Core's), as one Prometheus text page. */
  async scrape(): Promise<string> {
    const own = await this.registry.metrics();
    if (this.coreMetricsUrl === null) return own;
    try {
      const core = await fetch(this.coreMetricsUrl, { signal: AbortSignal.timeout(2_000) });
      return `${own}\n${await core.text()}`;
    } catch {
      // A missing half is better than no scrape at all; Core's exporter is in-process, so rare.
      return own;
    }
  }
}

/** The sinks follow-ups report through (FollowUpSinks), counted once per follow-up, never on replay. */
export function followUpSinks(metrics: WorkerMetrics): InjectedSinks<FollowUpSinks> {
  return { followUps: { ended: { fn: (_info, outcome) => metrics.followUps.inc({ outcome }), callDuringReplay: false } } };
}
