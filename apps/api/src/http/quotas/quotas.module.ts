import { Module } from '@nestjs/common';
import { ClientQuotaGuard } from './client-quota.guard';
import { ClientQuotas } from './client-quotas';

/** Each checkout client's quotas in this instance: one ClientQuotas, shared by every route that guards with it. */
@Module({ providers: [ClientQuotas, ClientQuotaGuard], exports: [ClientQuotas, ClientQuotaGuard] })
export class QuotasModule {}
