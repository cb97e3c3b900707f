import { Controller, Get, Param, Req, UseGuards } from '@nestjs/common';
import { checkIdempotencyKey } from '@app/contracts';
import { BearerAuthGuard, type AuthenticatedRequest } from '../http/auth/bearer-auth.guard';
import { ClientQuotaGuard } from '../http/quotas/client-quota.guard';
import { ApiProblemException } from '../http/problems/api-problem';
import { DocumentedPaymentRunRead } from './documented-payment-run-read';
import { PaymentRunStatuses, type PaymentRunStatus } from './payment-run-status.service';

/** The orchestrator's own resource: where the run of one of the caller's keys stands. */
@Controller('v1/payment-runs')
@UseGuards(BearerAuthGuard, ClientQuotaGuard)
export class PaymentRunsController {
  constructor(private readonly statuses: PaymentRunStatuses) {}

  @Get(':idempotencyKey')
  @DocumentedPaymentRunRead()
  read(@Req() request: AuthenticatedRequest, @Param('idempotencyKey') idempotencyKey: string): Promise<PaymentRunStatus> {
    if (checkIdempotencyKey(idempotencyKey) !== 'valid') throw new ApiProblemException('invalid_idempotency_key');
    return this.statuses.read(request, idempotencyKey);
  }
}
