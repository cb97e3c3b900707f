import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { addLogFields } from '@app/observability';
import type { AuthenticatedRequest } from '../auth/bearer-auth.guard';
import { ClientQuotas } from './client-quotas';

/**
 * Spends one request of the caller's rate; after BearerAuthGuard, which names the caller, and
 * before any validation, Temporal call or upstream read (`@UseGuards(BearerAuthGuard, ClientQuotaGuard)`).
 * An admitted request's log lines, its access line included, name its client and merchant from
 * here on; a refused one's do not (the 429's own metric names them).
 */
@Injectable()
export class ClientQuotaGuard implements CanActivate {
  constructor(private readonly quotas: ClientQuotas) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const caller = context.switchToHttp().getRequest<AuthenticatedRequest>();
    await this.quotas.admitRequest(caller);
    addLogFields({ clientId: caller.clientId, merchant: caller.merchant.name });
    return true;
  }
}
