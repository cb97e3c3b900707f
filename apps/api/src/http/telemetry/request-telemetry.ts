import { Injectable, Logger } from '@nestjs/common';
import { context, propagation, SpanKind, SpanStatusCode, trace, type Context } from '@opentelemetry/api';
import type { NextFunction, Request, Response } from 'express';
import { REQUEST_ID_HEADER, requestIdFrom, withLogFields, type LogFields } from '@app/observability';
import { answeredOnItsSocket } from '../problems/client-errors';
import { ApiMetrics } from './api-metrics';
import { routeLabel } from './route-label';

/** What the request's handler runs inside: its log fields and its server span's trace context. */
export interface RequestScope {
  fields: LogFields;
  traceContext: Context;
}

const SCOPE = Symbol('requestScope');
type ScopedResponse = Response & { [SCOPE]?: RequestScope };

export function requestScopeOf(response: Response): RequestScope | undefined {
  return (response as ScopedResponse)[SCOPE];
}

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
 */
@Injectable()
export class RequestTelemetry {
  private readonly logger = new Logger('Http');

  constructor(private readonly metrics: ApiMetrics) {}

  readonly handle = (request: Request, response: Response, next: NextFunction): void => {
    const started = process.hrtime.bigint();
    const fields: LogFields = { requestId: requestIdFrom(request.headers[REQUEST_ID_HEADER]) };
    response.setHeader(REQUEST_ID_HEADER, fields.requestId as string);
    const parent = propagation.extract(context.active(), request.headers);
    const span = tracer.startSpan(`${request.method}`, { kind: SpanKind.SERVER, attributes: { 'http.request.method': request.method } }, parent);
    const scope: RequestScope = { fields, traceContext: trace.setSpan(parent, span) };
    (response as ScopedResponse)[SCOPE] = scope;

    response.once('close', () => {
      const route = routeLabel(request);
      const answered = response.writableFinished || answeredOnItsSocket(response);
      const status = answered ? String(response.statusCode) : ABORTED_STATUS;
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const labels = { method: request.method, route, status };
      this.metrics.httpRequests.inc(labels);
      this.metrics.httpDuration.observe(labels, seconds);
      span.updateName(`${request.method} ${route}`);
      span.setAttribute('http.route', route);
      if (answered) span.setAttribute('http.response.status_code', response.statusCode);
      if (answered && response.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
      this.logger.log({
        message: answered ? 'request answered' : 'request aborted',
        ...fields,
        method: request.method,
        route,
        ...(answered ? { status: response.statusCode } : {}),
        durationMs: Math.round(seconds * 1000),
        completed: answered,
      });
    });
    withLogFields(fields, () => context.with(scope.traceContext, next));
  };
}
