import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * How PaymentRuns settled a request's key: its own new run, someone else's run, or neither; the
 * `_remembered` ones from the answer memory, without a call to Temporal.
 */
export type RunDecision = 'started' | 'attached' | 'key_reused' | 'unverifiable' | 'replayed_remembered' | 'key_reused_remembered';

/** What a payment write answered: the upstream's verdict, or why there was none. */
export type WriteOutcome = 'succeeded' | 'declined' | 'rejected' | 'still_running' | 'gave_up' | 'key_reused' | 'unverifiable';

/** Which of a client's quotas refused a request (ClientQuotas). */
export type QuotaLimit = 'request_rate' | 'runs_in_flight';

/** Seconds; a write waits up to WAIT_FOR_RESULT_MS (10 s by default) for its run. */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/**
 * The API's Prometheus metrics, in a registry of its own (not prom-client's global one), so each
 * test builds a fresh set. Every label takes values from a closed set: route templates, never raw
 * paths; operations and outcomes, never keys or ids.
 */
@Injectable()
export class ApiMetrics {
  readonly registry = new Registry();

  readonly httpRequests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests answered, by route template, method and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });

  readonly httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time from a request arriving to its response being sent',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });

  readonly runDecisions = new Counter({
    name: 'payment_run_decisions_total',
    help: "Payment writes by how their idempotency key was settled: a new run, an attach to the key's run, or neither",
    labelNames: ['operation', 'decision'] as const,
    registers: [this.registry],
  });

  readonly replays = new Counter({
    name: 'payment_replays_total',
    help: 'Answers sent with Idempotent-Replayed: true (the result of a run another request started)',
    labelNames: ['operation'] as const,
    registers: [this.registry],
  });

  readonly outcomes = new Counter({
    name: 'payment_write_outcomes_total',
    help: 'Payment write answers by outcome',
    labelNames: ['operation', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly waitsInFlight = new Gauge({
    name: 'payment_result_waits_in_flight',
    help: "Requests currently waiting for their run's result",
    labelNames: ['operation'] as const,
    registers: [this.registry],
  });

  readonly webhookNotifications = new Counter({
    name: 'webhook_notifications_total',
    help: 'Mercado Pago notifications received, by the merchant whose secret verified them (empty when none did) and result',
    labelNames: ['merchant', 'result'] as const,
    registers: [this.registry],
  });

  readonly quotaRefusals = new Counter({
    name: 'client_quota_refusals_total',
    help: 'Requests answered 429 before anything started, by the quota they were over (request_rate, runs_in_flight), merchant and client',
    labelNames: ['limit', 'merchant', 'client'] as const,
    registers: [this.registry],
  });

  /** What the answer memory holds (PaymentRuns tells where to read it); nothing until then. */
  private answerMemorySize: () => { entries: number; bytes: number } = () => ({ entries: 0, bytes: 0 });

  // Read at each scrape, so the gauges cost the requests nothing.
  readonly answerMemoryBytes: Gauge = new Gauge({
    name: 'answer_memory_bytes',
    help: "Bytes of completed answers the API's answer memory holds, by the estimate its bound (ANSWER_MEMORY_MAX_BYTES) counts",
    registers: [this.registry],
    collect: (): void => this.answerMemoryBytes.set(this.answerMemorySize().bytes),
  });

  readonly answerMemoryEntries: Gauge = new Gauge({
    name: 'answer_memory_entries',
    help: "Completed answers the API's answer memory holds",
    registers: [this.registry],
    collect: (): void => this.answerMemoryEntries.set(this.answerMemorySize().entries),
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  /** Where the answer memory gauges read their values from at each scrape. */
  observeAnswerMemory(size: () => { entries: number; bytes: number }): void {
    this.answerMemorySize = size;
  }
}
