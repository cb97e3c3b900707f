import { Catch, HttpException, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import { dialectForPath } from '../dialects/dialect-for-path';
import { ApiProblemException, type ApiProblem } from './api-problem';
import { send } from './http-answer';

/** Statuses Nest or Express raise by themselves. */
const FRAMEWORK_PROBLEMS: Readonly<Record<number, ApiProblem>> = {
  400: 'json_syntax_error',
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
 * The one place where errors become responses, in the dialect of the route's API family:
 * documented problems as they are, framework errors mapped, anything unexpected as a 500
 * internal error without a stack trace for the caller.
 */
@Catch()
export class ProblemExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger(ProblemExceptionFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const dialect = dialectForPath(http.getRequest<Request>().path);
    const response = http.getResponse<Response>();
    if (exception instanceof ApiProblemException) {
      send(response, dialect.problem(exception.problem, exception.detail));
      return;
    }
    const status = frameworkStatus(exception);
    const frameworkProblem = status === undefined ? undefined : FRAMEWORK_PROBLEMS[status];
    if (frameworkProblem !== undefined) {
      send(response, dialect.problem(frameworkProblem));
      return;
    }
    this.logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
    send(response, dialect.problem('internal_error'));
  }
}
