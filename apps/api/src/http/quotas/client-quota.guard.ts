import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { addLogFields } from '@app/observability';
import type { AuthenticatedRequest } from '../auth/bearer-auth.guard';
import type { Caller } from '../auth/client-authenticator';
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
    await admitCaller(this.quotas, context.switchToHttp().getRequest<AuthenticatedRequest>());
    return true;
  }
}

/** The guard's work, which the replay front (replay-front.ts) does the same way before Nest. */
export async function admitCaller(quotas: ClientQuotas, caller: Caller): Promise<void> {
  await quotas.admitRequest(caller);
  addLogFields({ clientId: caller.clientId, merchant: caller.merchant.name });
}
