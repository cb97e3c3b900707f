import { Inject, Injectable, Optional } from '@nestjs/common';
import { searchAttributesProblem } from '@app/contracts';
import { MERCHANTS_SECTION, type MerchantsSection } from '../api-config-sections';
import type { HttpAnswer } from '../http/problems/http-answer';
import { DeploymentRouting } from '../temporal/deployment-routing';
import { TemporalAccess } from '../temporal/temporal-access';

/**
 * Probes arriving within this long of an answer share it (a slow one included), so load balancers
 * probing every replica often cannot flood Temporal; a change shows within this long.
 */
const READINESS_CACHE_MS = 1_000;

/** Whether the API's hosted worker runs (HostedWorkers, provided only with API_HOSTS_WORKER). */
export interface HostedWorkerState {
  readonly running: boolean;
}

export const HOSTED_WORKER_STATE = Symbol('HOSTED_WORKER_STATE');

/** Writes would still succeed, through matching, but this API has lost what it hosts the worker for. */
const HOSTED_WORKER_DOWN = 'the hosted worker is not running (starting, or restarting after a failure): starts are not eager';

/**
 * Whether writes can succeed: Temporal answers, and every merchant's namespace has the project's
 * search attributes (without them every run's workflow task would fail, and the worker refuses to
 * start). One call per namespace, `listSearchAttributes`, answers both. With WORKER_BUILD_ID, also
 * that this build is routed runs (docs/operations.md, "Rolling out a new build"). With
 * API_HOSTS_WORKER, also that the hosted worker runs (docs/operations.md, "The hosted worker").
 */
@Injectable()
export class Readiness {
  private latest: { askedAt: number; answer: Promise<HttpAnswer> } | undefined;

  constructor(
    private readonly temporal: TemporalAccess,
    private readonly routing: DeploymentRouting,
    @Inject(MERCHANTS_SECTION) private readonly merchants: MerchantsSection,
    /** Absent when API_HOSTS_WORKER is off. */
    @Optional() @Inject(HOSTED_WORKER_STATE) private readonly hostedWorker?: HostedWorkerState,
  ) {}

  check(): Promise<HttpAnswer> {
    const now = Date.now();
    if (this.latest === undefined || now - this.latest.askedAt >= READINESS_CACHE_MS) this.latest = { askedAt: now, answer: this.ask() };
    return this.latest.answer;
  }

  private async ask(): Promise<HttpAnswer> {
    const problems: string[] = [];
    for (const merchant of this.merchants) {
      const client = this.temporal.client(merchant);
      let registered: Record<string, unknown>;
      try {
        ({ customAttributes: registered } = await this.temporal.withRpcDeadline(client, () =>
          client.connection.operatorService.listSearchAttributes({ namespace: merchant.namespace }),
        ));
      } catch {
        return { status: 503, body: { status: 'unavailable', temporal: 'unreachable' } };
      }
      const problem = searchAttributesProblem(merchant.namespace, registered);
      if (problem !== null) problems.push(problem);
      // With WORKER_BUILD_ID, a build no run is routed to yet starts nothing (DeploymentRouting).
      const routing = await this.routing.routing(merchant);
      if (routing.kind === 'not_routed') problems.push(routing.reason);
    }
    // Every merchant's problem at once, so one look at the probe says what to fix.
    if (problems.length > 0) return { status: 503, body: { status: 'unavailable', temporal: 'reachable', reason: problems.join('; ') } };
    if (this.hostedWorker !== undefined && !this.hostedWorker.running) return { status: 503, body: { status: 'unavailable', temporal: 'reachable', reason: HOSTED_WORKER_DOWN } };
    return { status: 200, body: { status: 'ok', temporal: 'reachable' } };
  }
}
