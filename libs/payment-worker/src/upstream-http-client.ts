import { Inject, Injectable } from '@nestjs/common';
import { context, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { PAYMENT_WORKER_SECTION, type MerchantAccount, type PaymentWorkerSection } from '@app/config';
import type { JsonValue, UpstreamRead, UpstreamAttempt, UpstreamRequest } from '@app/contracts';
import { isRetryableAnswer, isValidNumericId, isValidOrderId, outcomeOfStatus, upstreamUrl } from '@app/mercadopago';
import { KeyedSlots } from './keyed-slots';
import { WorkerMetrics, type AttemptOutcome } from './worker-metrics';
import { describeNetworkError } from './network-error';
import { parseRetryAfterMs } from './retry-after';

/** An attempt's answer for the workflow, and the finer outcome operators count. */
interface ClassifiedAttempt {
  attempt: UpstreamAttempt;
  outcome: AttemptOutcome;
}

const tracer = trace.getTracer('payment-worker');

/** Whose call it is: the merchant's name counts its refusals, its token goes upstream. */
export type UpstreamAccount = Pick<MerchantAccount, 'name' | 'upstreamAccessToken'>;

const CAPPED_REASON = 'not sent: UPSTREAM_CONCURRENCY_PER_MERCHANT calls of this merchant are in flight';

/** Sends one attempt of a write to Mercado Pago (or the simulator) and classifies what came back. */
@Injectable()
export class UpstreamHttpClient {
  /**
   * Calls in flight per merchant token in this process: Mercado Pago rate-limits each
   * application's token, so one merchant's burst of payments or reads must not open an unbounded
   * number of calls with it. Never waits: a call over UPSTREAM_CONCURRENCY_PER_MERCHANT is not sent
   * and its caller gets a retryable failure, so the run's retry policy backs off
   * (docs/operations.md, "Quotas").
   */
  private readonly slots = new KeyedSlots();

  constructor(
    @Inject(PAYMENT_WORKER_SECTION) private readonly config: Pick<PaymentWorkerSection, 'UPSTREAM_BASE_URL' | 'UPSTREAM_CONCURRENCY_PER_MERCHANT'>,
    private readonly metrics: WorkerMetrics,
  ) {}

  /**
   * One client span per attempt (its trace context goes upstream as `traceparent`), counted by
   * outcome. `merchant` is the one whose namespace the run is in, never the run's choice. With the
   * merchant's calls all in flight it is not sent: a retryable attempt, so the run backs off.
   */
  async send(request: UpstreamRequest, merchant: UpstreamAccount, cancellation?: AbortSignal): Promise<UpstreamAttempt> {
    const release = this.takeSlot(merchant);
    if (release === null) return { kind: 'retryable', status: null, reason: CAPPED_REASON, retryAfterMs: null };
    try {
      return await this.sendTraced(request, merchant.upstreamAccessToken, cancellation);
    } finally {
      release();
    }
  }

  private async sendTraced(request: UpstreamRequest, accessToken: string, cancellation?: AbortSignal): Promise<UpstreamAttempt> {
    const attributes = { 'http.request.method': request.method, 'payment.operation': request.operation };
    return tracer.startActiveSpan(`${request.method} upstream`, { kind: SpanKind.CLIENT, attributes }, async (span) => {
      const started = performance.now();
      const { attempt, outcome } = await this.exchange(request, accessToken, cancellation);
      const labels = { operation: request.operation, outcome };
      this.metrics.upstreamAttempts.inc(labels);
      this.metrics.upstreamDuration.observe(labels, (performance.now() - started) / 1000);
      span.setAttribute('payment.upstream.outcome', outcome);
      if (attempt.status !== null) span.setAttribute('http.response.status_code', attempt.status);
      if (attempt.kind === 'retryable') span.setStatus({ code: SpanStatusCode.ERROR, message: attempt.reason });
      span.end();
      return attempt;
    });
  }

  /**
   * `GET /v1/orders/{id}` with the merchant's token: the API's order reads, and the read that
   * settles a write whose attempts all went unanswered. The path is built here from a valid order
   * id, so no input can turn the read into another request. A body that is not JSON is unreadable.
   * An id that is not an order id is never sent.
   */
  async readOrder(orderId: string, merchant: UpstreamAccount, timeoutMs: number, cancellation?: AbortSignal): Promise<UpstreamRead> {
    if (!isValidOrderId(orderId)) return { kind: 'unreadable', reason: 'not a valid order id' };
    return this.read(`/v1/orders/${orderId}`, merchant, timeoutMs, cancellation);
  }

  /** `GET /v1/advanced_payments/{id}` (Wallet Connect "Get payment information"); only a numeric id is sent. */
  async readAdvancedPayment(advancedPaymentId: string, merchant: UpstreamAccount, timeoutMs: number, cancellation?: AbortSignal): Promise<UpstreamRead> {
    if (!isValidNumericId(advancedPaymentId)) return { kind: 'unreadable', reason: 'not a valid advanced payment id' };
    return this.read(`/v1/advanced_payments/${advancedPaymentId}`, merchant, timeoutMs, cancellation);
  }

  /** A read that finds the merchant's calls all in flight is not sent: unreadable, so a follow-up polls again later. */
  private async read(path: string, merchant: UpstreamAccount, timeoutMs: number, cancellation?: AbortSignal): Promise<UpstreamRead> {
    const release = this.takeSlot(merchant);
    if (release === null) return { kind: 'unreadable', reason: CAPPED_REASON };
    const timeout = AbortSignal.timeout(timeoutMs);
    try {
      const response = await fetch(upstreamUrl(this.config.UPSTREAM_BASE_URL, path), {
        headers: { authorization: `Bearer ${merchant.upstreamAccessToken}`, accept: 'application/json' },
        redirect: 'manual',
        signal: cancellation ? AbortSignal.any([timeout, cancellation]) : timeout,
      });
      const body = parseJson(await response.text());
      return body === undefined ? { kind: 'unreadable', reason: `HTTP ${response.status} with a non-JSON body` } : { kind: 'read', status: response.status, body };
    } catch (error) {
      return { kind: 'unreadable', reason: timeout.aborted ? `timeout after ${timeoutMs} ms` : describeNetworkError(error) };
    } finally {
      release();
    }
  }

  private takeSlot(merchant: UpstreamAccount): (() => void) | null {
    const release = this.slots.tryTake(merchant.upstreamAccessToken, this.config.UPSTREAM_CONCURRENCY_PER_MERCHANT);
    if (release === null) this.metrics.upstreamCallsRefused.inc({ merchant: merchant.name });
    return release;
  }

  private async exchange(request: UpstreamRequest, accessToken: string, cancellation?: AbortSignal): Promise<ClassifiedAttempt> {
    // Outside the try below: a URL that would leave the base is never sent. The activity's route
    // check has refused any such path already; this throw is the last line, not the first.
    const url = upstreamUrl(this.config.UPSTREAM_BASE_URL, request.path);
    const timeout = AbortSignal.timeout(request.timeoutMs);
    const signal = cancellation ? AbortSignal.any([timeout, cancellation]) : timeout;
    let response: Response;
    let text: string;
    try {
      response = await fetch(url, {
        method: request.method,
        headers: this.headers(request, accessToken),
        body: request.body === undefined ? undefined : JSON.stringify(request.body),
        // A redirected payment write would be re-sent elsewhere (or turned into a GET): never follow.
        redirect: 'manual',
        signal,
      });
      text = await response.text();
    } catch (error) {
      const reason = timeout.aborted ? `timeout after ${request.timeoutMs} ms` : describeNetworkError(error);
      const outcome = timeout.aborted ? 'timeout' : cancellation?.aborted ? 'cancelled' : 'network_error';
      return { attempt: { kind: 'retryable', status: null, reason, retryAfterMs: null }, outcome };
    }

    const body = parseJson(text);
    if (isRetryableAnswer(response.status, body)) {
      const retryAfterMs = parseRetryAfterMs(response.headers.get('retry-after'));
      return { attempt: { kind: 'retryable', status: response.status, reason: `HTTP ${response.status}`, retryAfterMs }, outcome: 'retryable_status' };
    }
    if (body === undefined) {
      // A decision we cannot read is no decision: retrying with the same key replays it readably.
      const reason = `HTTP ${response.status} with a non-JSON body`;
      return { attempt: { kind: 'retryable', status: response.status, reason, retryAfterMs: null }, outcome: 'unreadable_answer' };
    }
    return { attempt: { kind: 'final', status: response.status, body }, outcome: outcomeOfStatus(response.status) };
  }

  private headers(request: UpstreamRequest, accessToken: string): Record<string, string> {
    const headers: Record<string, string> = {
      authorization: `Bearer ${accessToken}`,
      'x-idempotency-key': request.idempotencyKey,
      accept: 'application/json',
    };
    if (request.body !== undefined) headers['content-type'] = 'application/json';
    // W3C traceparent of this attempt's span, so an upstream that traces joins the payment's trace.
    propagation.inject(context.active(), headers);
    return headers;
  }
}

function parseJson(text: string): JsonValue | undefined {
  try {
    return JSON.parse(text) as JsonValue;
  } catch {
    return undefined;
  }
}
