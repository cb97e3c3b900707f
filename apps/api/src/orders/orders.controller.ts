import { Controller, HttpCode, Param, Post, Req, Res, UseGuards } from '@nestjs/common';
import type { Response } from 'express';
import { checkIdempotencyKey, IDEMPOTENCY_KEY_HEADER, isValidOrderId } from '@app/contracts';
import { BearerAuthGuard, type AuthenticatedRequest } from '../auth/bearer-auth.guard';
import { send } from '../http/http-answer';
import { OrdersApiException } from '../http/orders-api.exception';
import { PaymentRuns } from '../idempotency/payment-runs.service';
import { ordersAnswer } from './orders-dialect';

/** Mercado Pago's Orders API writes, made durable and idempotent. */
@Controller('v1/orders')
@UseGuards(BearerAuthGuard)
export class OrdersController {
  constructor(private readonly runs: PaymentRuns) {}

  @Post(':orderId/process')
  @HttpCode(200)
  async process(
    @Req() request: AuthenticatedRequest,
    @Param('orderId') orderId: string,
    @Res() response: Response,
  ): Promise<void> {
    const idempotencyKey = requireIdempotencyKey(request);
    if (!isValidOrderId(orderId)) throw new OrdersApiException('invalid_path_param');
    const outcome = await this.runs.execute({
      operation: 'order.process',
      idempotencyKey,
      clientId: request.clientId,
      orderId,
      body: null,
      upstream: { method: 'POST', path: `/v1/orders/${orderId}/process` },
      summary: `Process order ${orderId} for ${request.clientId}`,
    });
    send(response, ordersAnswer(outcome));
  }
}

function requireIdempotencyKey(request: AuthenticatedRequest): string {
  const value = request.headers[IDEMPOTENCY_KEY_HEADER];
  const key = Array.isArray(value) ? value.join(', ') : value;
  switch (checkIdempotencyKey(key)) {
    case 'missing':
      throw new OrdersApiException('empty_required_header');
    case 'invalid':
      throw new OrdersApiException('invalid_idempotency_key_length');
    case 'valid':
      return key as string;
  }
}
