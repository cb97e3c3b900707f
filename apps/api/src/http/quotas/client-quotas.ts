import { Inject, Injectable } from '@nestjs/common';
import { KeyedSlots } from '@app/payment-worker';
import { BurstyRateLimiter, RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import type { Merchant } from '../../api-config';
import { MERCHANTS_SECTION, type MerchantsSection } from '../../api-config-sections';
import type { Caller } from '../auth/client-authenticator';
import { ApiProblemException } from '../problems/api-problem';
import { ApiMetrics, type QuotaLimit } from '../telemetry/api-metrics';

/** The window the burst refills over: CLIENT_REQUEST_BURST more requests per this many seconds. */
const BURST_WINDOW_SECONDS = 10;
/**
 * How soon a client refused for its runs in flight should ask again: its runs' ends are not
 * known in advance, so the same short pause as a run still processing (response-dialect.ts).
 */
const RUNS_RETRY_AFTER_SECONDS = 1;

/**
 * Each checkout client's quotas in this API instance (docs/operations.md, "Quotas"); the counts
 * live in this process, so N instances behind a balancer admit up to N times each quota.
 *
 * - Request rate: every request on the checkout routes, reads included, costs a point of the
 *   client's CLIENT_REQUESTS_PER_SECOND; past them, of its CLIENT_REQUEST_BURST per 10 s. Both are
 *   rate-limiter-flexible's in-memory limiters (a BurstyRateLimiter, its token-bucket-like
 *   composition); over both, 429 with Retry-After until the next point.
 * - Runs in flight: runs this instance started for the client whose end it has not yet seen
 *   (PaymentRuns holds a slot until the run's result arrives). Runs another instance started,
 *   attaches and replays hold none.
 */
@Injectable()
export class ClientQuotas {
  private readonly rates = new Map<string, BurstyRateLimiter>();
  private readonly runsInFlight = new KeyedSlots();

  constructor(
    @Inject(MERCHANTS_SECTION) merchants: MerchantsSection,
    private readonly metrics: ApiMetrics,
  ) {
    for (const { name, clientQuotas } of merchants) {
      const rate = new RateLimiterMemory({ keyPrefix: `rate:${name}`, points: clientQuotas.requestsPerSecond, duration: 1 });
      const burst = new RateLimiterMemory({ keyPrefix: `burst:${name}`, points: clientQuotas.requestBurst, duration: BURST_WINDOW_SECONDS });
      this.rates.set(name, new BurstyRateLimiter(rate, burst));
    }
  }

  /** Spends one request of the caller's rate, or throws its 429 (too_many_requests) with Retry-After. */
  async admitRequest({ merchant, clientId }: Caller): Promise<void> {
    const limiter = this.rates.get(merchant.name);
    if (limiter === undefined) throw new Error(`no request rate for merchant "${merchant.name}"`);
    try {
      await limiter.consume(clientId);
    } catch (refusal) {
      // The memory limiter rejects with its result when over the limit, and never otherwise.
      if (!(refusal instanceof RateLimiterRes)) throw refusal;
      throw this.refusal('request_rate', merchant, clientId, Math.max(1, Math.ceil(refusal.msBeforeNext / 1000)));
    }
  }

  /**
   * A run slot of the client's, for a run this instance is about to start: its release, to call
   * once the run's end is seen (or it was never started); null when all are taken.
   */
  tryTakeRunSlot(merchant: Merchant, clientId: string): (() => void) | null {
    return this.runsInFlight.tryTake(`${merchant.name} ${clientId}`, merchant.clientQuotas.runsInFlight);
  }

  /** The 429 (too_many_runs_in_flight) of a client whose slots are all taken, counted. */
  tooManyRuns(merchant: Merchant, clientId: string): ApiProblemException {
    return this.refusal('runs_in_flight', merchant, clientId, RUNS_RETRY_AFTER_SECONDS);
  }

  private refusal(limit: QuotaLimit, merchant: Merchant, clientId: string, retryAfterSeconds: number): ApiProblemException {
    this.metrics.quotaRefusals.inc({ limit, merchant: merchant.name, client: clientId });
    const problem = limit === 'request_rate' ? 'too_many_requests' : 'too_many_runs_in_flight';
    return new ApiProblemException(problem, undefined, { 'Retry-After': String(retryAfterSeconds) });
  }
}
