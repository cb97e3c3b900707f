import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { context } from '@opentelemetry/api';
import type { Request, Response } from 'express';
import { Observable } from 'rxjs';
import { withLogFields } from '@app/observability';
import type { Caller } from '../auth/client-authenticator';
import { requestScopeOf } from './request-telemetry';

/**
 * Runs each handler inside its request's log fields and trace context. The middleware set them,
 * but body parsing can lose async context on the way (stream events fire in the socket's own), so
 * the handler gets them back here, after the auth guard has named the client.
 */
@Injectable()
export class RequestScopeInterceptor implements NestInterceptor {
  intercept(execution: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = execution.switchToHttp();
    const scope = requestScopeOf(http.getResponse<Response>());
    if (scope === undefined) return next.handle();
    const { clientId, merchant } = http.getRequest<Request & Partial<Caller>>();
    if (clientId !== undefined) scope.fields.clientId = clientId;
    if (merchant !== undefined) scope.fields.merchant = merchant.name;
    // Nest calls the handler when the stream is subscribed to, so subscribing inside the scope runs it there.
    return new Observable((subscriber) => withLogFields(scope.fields, () => context.with(scope.traceContext, () => next.handle().subscribe(subscriber))));
  }
}
