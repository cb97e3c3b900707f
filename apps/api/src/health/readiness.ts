import { Inject, Injectable } from '@nestjs/common';
import { Client } from '@temporalio/client';
import { searchAttributesProblem } from '@app/contracts';
import { API_CONFIG, type ApiConfig } from '../api-config';
import type { HttpAnswer } from '../http/http-answer';

/**
 * Probes arriving within this long of an answer share it (a slow one included), so load balancers
 * probing every replica often cannot flood Temporal; a change shows within this long.
 */
const READINESS_CACHE_MS = 1_000;

/**
 * Whether writes can succeed: Temporal answers, and the namespace has the project's search
 * attributes (without them every run's workflow task would fail, and the worker refuses to start).
 * One call, `listSearchAttributes`, answers both.
 */
@Injectable()
export class Readiness {
  private latest: { askedAt: number; answer: Promise<HttpAnswer> } | undefined;

  constructor(
    private readonly client: Client,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {}

  check(): Promise<HttpAnswer> {
    const now = Date.now();
    if (this.latest === undefined || now - this.latest.askedAt >= READINESS_CACHE_MS) this.latest = { askedAt: now, answer: this.ask() };
    return this.latest.answer;
  }

  private async ask(): Promise<HttpAnswer> {
    const namespace = this.config.TEMPORAL_NAMESPACE;
    let registered: Record<string, unknown>;
    try {
      ({ customAttributes: registered } = await this.client.withDeadline(Date.now() + this.config.TEMPORAL_RPC_TIMEOUT_MS, () =>
        this.client.connection.operatorService.listSearchAttributes({ namespace }),
      ));
    } catch {
      return { status: 503, body: { status: 'unavailable', temporal: 'unreachable' } };
    }
    const reason = searchAttributesProblem(namespace, registered);
    if (reason !== null) return { status: 503, body: { status: 'unavailable', temporal: 'reachable', reason } };
    return { status: 200, body: { status: 'ok', temporal: 'reachable' } };
  }
}
