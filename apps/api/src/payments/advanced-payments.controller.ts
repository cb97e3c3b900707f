import { Controller, Post, Req, Res, UseGuards } from '@nestjs/common';
import type { Response } from 'express';
import { BearerAuthGuard, type AuthenticatedRequest } from '../http/auth/bearer-auth.guard';
import { ClientQuotaGuard } from '../http/quotas/client-quota.guard';
import { send } from '../http/problems/http-answer';
import { IdempotentWrites } from './idempotent-writes.service';
import { paymentWrites } from './payment-write-declarations';
import { DocumentedWrite } from './documented-writes';

/** Wallet Connect's advanced payments, durable and idempotent, answered in Wallet Connect's words. */
@Controller('v1/advanced_payments')
@UseGuards(BearerAuthGuard, ClientQuotaGuard)
export class AdvancedPaymentsController {
  constructor(private readonly writes: IdempotentWrites) {}

  @Post()
  @DocumentedWrite('advanced_payment.create')
  async create(@Req() request: AuthenticatedRequest, @Res() response: Response): Promise<void> {
    send(response, await this.writes.perform(paymentWrites['advanced_payment.create'], request));
  }
}
