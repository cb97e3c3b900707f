import { Controller, Get, Param, Post, Req, Res, UseGuards } from '@nestjs/common';
import type { Response } from 'express';
import { isValidOrderId } from '@app/contracts';
import { BearerAuthGuard, type AuthenticatedRequest } from '../http/auth/bearer-auth.guard';
import { ApiProblemException } from '../http/problems/api-problem';
import { send } from '../http/problems/http-answer';
import { IdempotentWrites } from '../payments/idempotent-writes.service';
import { paymentWrites } from '../payments/payment-write-declarations';
import { DocumentedOrderRead, DocumentedWrite } from '../openapi/documented-routes';
import { OrderOwnership } from './order-ownership.service';
import { OrderReads } from './order-reads.service';

/** Mercado Pago's Orders API: every write durable and idempotent, reads passed through. */
@Controller('v1/orders')
@UseGuards(BearerAuthGuard)
export class OrdersController {
  constructor(
    private readonly writes: IdempotentWrites,
    private readonly reads: OrderReads,
    private readonly ownership: OrderOwnership,
  ) {}

  @Post()
  @DocumentedWrite('order.create')
  async create(@Req() request: AuthenticatedRequest, @Res() response: Response): Promise<void> {
    send(response, await this.writes.perform(paymentWrites['order.create'], request));
  }

  @Get(':orderId')
  @DocumentedOrderRead()
  async read(@Req() request: AuthenticatedRequest, @Param('orderId') orderId: string, @Res() response: Response): Promise<void> {
    if (!isValidOrderId(orderId)) throw new ApiProblemException('invalid_path_param');
    const access = await this.ownership.access(request, orderId);
    if (access !== 'allowed') throw new ApiProblemException(access === 'denied' ? 'order_not_found' : 'internal_error');
    send(response, await this.reads.read(request.merchant, orderId));
  }

  @Post(':orderId/process')
  @DocumentedWrite('order.process')
  async process(@Req() request: AuthenticatedRequest, @Param('orderId') orderId: string, @Res() response: Response): Promise<void> {
    send(response, await this.writes.perform(paymentWrites['order.process'], request, orderId));
  }

  @Post(':orderId/capture')
  @DocumentedWrite('order.capture')
  async capture(@Req() request: AuthenticatedRequest, @Param('orderId') orderId: string, @Res() response: Response): Promise<void> {
    send(response, await this.writes.perform(paymentWrites['order.capture'], request, orderId));
  }

  @Post(':orderId/cancel')
  @DocumentedWrite('order.cancel')
  async cancel(@Req() request: AuthenticatedRequest, @Param('orderId') orderId: string, @Res() response: Response): Promise<void> {
    send(response, await this.writes.perform(paymentWrites['order.cancel'], request, orderId));
  }

  @Post(':orderId/refund')
  @DocumentedWrite('order.refund')
  async refund(@Req() request: AuthenticatedRequest, @Param('orderId') orderId: string, @Res() response: Response): Promise<void> {
    send(response, await this.writes.perform(paymentWrites['order.refund'], request, orderId));
  }
}
