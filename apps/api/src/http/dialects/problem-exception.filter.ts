import { Catch, HttpException, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import type { Request, Response } from 'express';
import type { ProblemDialect } from './response-dialect';
import { ApiProblemException, type ApiProblem } from '../problems/api-problem';
import { send } from '../problems/http-answer';

/** Statuses Nest or Express raise by themselves (400s are told apart by `badRequestProblem`). */
const FRAMEWORK_PROBLEMS: Readonly<Record<number, ApiProblem>> = {
  404: 'not_found',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
};

/** Nest's own HttpExceptions, and the body parser's errors, which carry a plain `status` instead. */
function frameworkStatus(exception: unknown): number | undefined {
  if (exception instanceof HttpException) return exception.getStatus();
  if (typeof exception === 'object' && exception !== null && 'status' in exception && typeof exception.status === 'number') {
    return exception.status;
  }
  return undefined;
}

/**
 * The one place where an app's errors become responses, in the dialect `dialectFor` picks for
 * the request's path (answerError).
 */
@Catch()
export class ProblemExceptionFilter implements ExceptionFilter {
  constructor(private readonly dialectFor: (path: string) => ProblemDialect) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    answerError(exception, this.dialectFor(http.getRequest<Request>().path), http.getResponse<Response>());
  }
}

const logger = new Logger(ProblemExceptionFilter.name);

/**
 * An error as its answer, for the exception filter and for the replay front (replay-front.ts), which
 * answers before Nest: documented problems as they are, framework errors mapped, anything
 * unexpected as a 500 internal error without a stack trace for the caller.
 */
export function answerError(exception: unknown, dialect: ProblemDialect, response: ServerResponse): void {
  if (response.destroyed) {
    // The client closed the connection (e.g. mid-body, which fails the body's read): nothing can be
    // answered, and the fault is not ours. The access line counts it aborted (RequestTelemetry).
    logger.warn(`the client went away before the answer: ${exception instanceof Error ? exception.message : String(exception)}`);
    return;
  }
  if (exception instanceof ApiProblemException) {
    const answer = dialect.problem(exception.problem, exception.detail);
    send(response, { ...answer, headers: { ...answer.headers, ...exception.headers } });
    return;
  }
  const status = frameworkStatus(exception);
  const frameworkProblem = status === 400 ? badRequestProblem(exception) : status === undefined ? undefined : FRAMEWORK_PROBLEMS[status];
  if (frameworkProblem !== undefined) {
    send(response, dialect.problem(frameworkProblem));
    return;
  }
  logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
  send(response, dialect.problem('internal_error'));
}

/**
 * Express answers several different mistakes with 400: the body parser's SyntaxError (which Nest
 * turns into a BadRequestException, and the replay front receives as it is; the router's URIError
 * never comes: replaceUndecodableSegments leaves no path it cannot decode); other plain 400s (e.g. a
 * body shorter than its Content-Length) are malformed requests.
 */
function badRequestProblem(exception: unknown): ApiProblem {
  return exception instanceof HttpException || exception instanceof SyntaxError ? 'json_syntax_error' : 'malformed_request';
}
