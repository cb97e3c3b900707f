import { Catch, HttpException, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import type { OrdersErrorCode } from '@app/contracts';
import { ordersErrorAnswer } from '../orders/orders-dialect';
import { send } from './http-answer';
import { OrdersApiException } from './orders-api.exception';

/** Statuses Nest or Express raise by themselves, in the Orders error shape. */
const FRAMEWORK_ERRORS: Readonly<Record<number, OrdersErrorCode>> = {
  400: 'json_syntax_error',
  404: 'not_found',
  413: 'payload_too_large',
};

/**
 * The one place where errors become responses: documented Orders errors as they are, framework
 * errors in the same shape, and anything unexpected as 500 internal_error without a stack trace.
 */
@Catch()
export class OrdersExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger(OrdersExceptionFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    if (exception instanceof OrdersApiException) {
      send(response, ordersErrorAnswer(exception.code, { ...exception.headers }));
      return;
    }
    const frameworkCode = exception instanceof HttpException ? FRAMEWORK_ERRORS[exception.getStatus()] : undefined;
    if (frameworkCode !== undefined) {
      send(response, ordersErrorAnswer(frameworkCode));
      return;
    }
    this.logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
    send(response, ordersErrorAnswer('internal_error'));
  }
}
