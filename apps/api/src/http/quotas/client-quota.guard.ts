import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { AuthenticatedRequest } from '../auth/bearer-auth.guard';
import { ClientQuotas } from './client-quotas';

/**
 * Spends one request of the caller's rate; after BearerAuthGuard, which names the caller, and
 * before any validation, Temporal call or upstream read (`@UseGuards(BearerAuthGuard, ClientQuotaGuard)`).
 */
@Injectable()
export class ClientQuotaGuard implements CanActivate {
  constructor(private readonly quotas: ClientQuotas) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    await this.quotas.admitRequest(context.switchToHttp().getRequest<AuthenticatedRequest>());
    return true;
  }
}
