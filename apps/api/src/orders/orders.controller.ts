import { Controller, Get, Param, Req, Res, UseGuards } from '@nestjs/common';
import type { Response } from 'express';
import { isValidOrderId } from '@app/mercadopago';
import { BearerAuthGuard, type AuthenticatedRequest } from '../http/auth/bearer-auth.guard';
import { ClientQuotaGuard } from '../http/quotas/client-quota.guard';
import { ApiProblemException } from '../http/problems/api-problem';
import { send } from '../http/problems/http-answer';
import { DocumentedOrderRead } from './documented-order-read';
import { OrderOwnership } from './order-ownership.service';
import { OrderReads } from './order-reads.service';

/** Mercado Pago's Orders API reads, passed through (writes: OrderWritesController). */
@Controller('v1/orders')
@UseGuards(BearerAuthGuard, ClientQuotaGuard)
export class OrdersController {
  constructor(
    private readonly reads: OrderReads,
    private readonly ownership: OrderOwnership,
  ) {}

  @Get(':orderId')
  @DocumentedOrderRead()
  async read(@Req() request: AuthenticatedRequest, @Param('orderId') orderId: string, @Res() response: Response): Promise<void> {
    if (!isValidOrderId(orderId)) throw new ApiProblemException('invalid_path_param');
    const access = await this.ownership.access(request, orderId);
    if (access !== 'allowed') throw new ApiProblemException(access === 'denied' ? 'order_not_found' : 'internal_error');
    send(response, await this.reads.read(request.merchant, orderId));
  }
}
