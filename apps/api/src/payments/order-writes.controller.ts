import { Controller, Param, Post, Req, Res, UseGuards } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { BearerAuthGuard, type AuthenticatedRequest } from '../http/auth/bearer-auth.guard';
import { ClientQuotaGuard } from '../http/quotas/client-quota.guard';
import { send } from '../http/problems/http-answer';
import { DocumentedWrite } from './documented-writes';
import { IdempotentWrites } from './idempotent-writes.service';
import { paymentWrites } from './payment-write-declarations';

/** Mercado Pago's Orders API writes, every one durable and idempotent (reads: OrdersController). */
@Controller('v1/orders')
// The document tags each controller's routes by its name unless the class names a tag: these keep
// the Orders one they had when they shared OrdersController.
@ApiTags('Orders')
@UseGuards(BearerAuthGuard, ClientQuotaGuard)
export class OrderWritesController {
  constructor(private readonly writes: IdempotentWrites) {}

  @Post()
  @DocumentedWrite('order.create')
  async create(@Req() request: AuthenticatedRequest, @Res() response: Response): Promise<void> {
    send(response, await this.writes.perform(paymentWrites['order.create'], request));
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
