import { Injectable, Logger } from '@nestjs/common';
import { context, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { NextFunction, Request, Response } from 'express';
import { REQUEST_ID_HEADER, requestIdFrom, withLogFields, type LogFields } from '@app/observability';
import { answeredOnItsSocket } from '../problems/client-errors';
import { ApiMetrics } from './api-metrics';
import { routeLabel } from './route-label';

const tracer = trace.getTracer('payment-api');

/**
 * The `status` label of a request whose client closed the connection before its whole answer was
 * sent: no status reached the client, whatever the response held then (docs/operations.md).
 */
const ABORTED_STATUS = 'aborted';

/**
 * The first Express middleware: gives each request its id (echoed as X-Request-Id), a server span
 * continuing the caller's W3C trace, and, once the response is sent, its metrics and one access
 * log line. Every request passes here, rejected ones (401, 404, 413) and aborted ones included.
 * The rest of the request runs inside its log fields and trace context: guards and handlers add
 * to the fields (ClientQuotaGuard names the client) and their spans join the trace. The JSON body
 * parser keeps that context across the body's stream events (raw-body binds its callback to the
 * async context it was called in), so no Nest interceptor needs to restore it; one would wrap every
 * handler in RxJS streams, the largest cost of a replayed answer (BENCHMARKS.md, issue 26).
 */
@Injectable()
export class RequestTelemetry {
  private readonly logger = new Logger('Http');

  constructor(private readonly metrics: ApiMetrics) {}

  readonly handle = (request: Request, response: Response, next: NextFunction): void => this.observe(request, response, () => routeLabel(request), next);

  /**
   * The whole of `handle` for a request the replay front answers before Express (replay-front.ts):
   * the same id, span, metrics and access line, with the route template the front matched.
   */
  observe(request: IncomingMessage, response: ServerResponse, routeOf: () => string, next: () => void): void {
    const started = process.hrtime.bigint();
    const fields: LogFields = { requestId: requestIdFrom(request.headers[REQUEST_ID_HEADER]) };
    response.setHeader(REQUEST_ID_HEADER, fields.requestId as string);
    const parent = propagation.extract(context.active(), request.headers);
    const method = request.method ?? '';
    const span = tracer.startSpan(method, { kind: SpanKind.SERVER, attributes: { 'http.request.method': method } }, parent);

    response.once('close', () => {
      const route = routeOf();
      const answered = response.writableFinished || answeredOnItsSocket(response);
      const status = answered ? String(response.statusCode) : ABORTED_STATUS;
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const labels = { method, route, status };
      this.metrics.httpRequests.inc(labels);
      this.metrics.httpDuration.observe(labels, seconds);
      span.updateName(`${method} ${route}`);
      span.setAttribute('http.route', route);
      if (answered) span.setAttribute('http.response.status_code', response.statusCode);
      if (answered && response.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
      this.logger.log({
        message: answered ? 'request answered' : 'request aborted',
        ...fields,
        method,
        route,
        ...(answered ? { status: response.statusCode } : {}),
        durationMs: Math.round(seconds * 1000),
        completed: answered,
      });
    });
    withLogFields(fields, () => context.with(trace.setSpan(parent, span), next));
  }
}
