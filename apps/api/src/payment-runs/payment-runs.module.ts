import { Module } from '@nestjs/common';
import { AuthModule } from '../http/auth/auth.module';
import { QuotasModule } from '../http/quotas/quotas.module';
import { OrdersModule } from '../orders/orders.module';
import { TemporalModule } from '../temporal/temporal.module';
import { PaymentRunStatuses } from './payment-run-status.service';
import { PaymentRuns } from './payment-runs.service';
import { PaymentRunsController } from './payment-runs.controller';

/**
 * The engine: one workflow run per idempotency key (PaymentRuns, with its answer memory and the
 * request fingerprint), and the run's status resource, `GET /v1/payment-runs/{key}`.
 */
@Module({
  imports: [TemporalModule, AuthModule, QuotasModule, OrdersModule],
  controllers: [PaymentRunsController],
  providers: [PaymentRuns, PaymentRunStatuses],
  exports: [PaymentRuns],
})
export class PaymentRunsModule {}
