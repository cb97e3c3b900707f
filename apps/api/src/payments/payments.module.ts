import { Module } from '@nestjs/common';
import { AuthModule } from '../http/auth/auth.module';
import { QuotasModule } from '../http/quotas/quotas.module';
import { OrdersModule } from '../orders/orders.module';
import { PaymentRunsModule } from '../payment-runs/payment-runs.module';
import { AdvancedPaymentsController } from './advanced-payments.controller';
import { IdempotentWrites } from './idempotent-writes.service';
import { OrderWritesController } from './order-writes.controller';
import { ReplayFront } from './replay-front';

/**
 * The payment writes: Orders and Wallet Connect, each declared once (payment-write-declarations),
 * started or attached to through the engine once its caller may act on the order.
 */
@Module({
  imports: [PaymentRunsModule, OrdersModule, AuthModule, QuotasModule],
  controllers: [OrderWritesController, AdvancedPaymentsController],
  providers: [IdempotentWrites, ReplayFront],
})
export class PaymentsModule {}
