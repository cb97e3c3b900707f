import { Module } from '@nestjs/common';
import { AuthModule } from '../http/auth/auth.module';
import { QuotasModule } from '../http/quotas/quotas.module';
import { TemporalModule } from '../temporal/temporal.module';
import { OrderOwnership } from './order-ownership.service';
import { OrderReads } from './order-reads.service';
import { OrdersController } from './orders.controller';

/** Order reads, passed through to the upstream, and which client owns an order (for reads and writes alike). */
@Module({ imports: [TemporalModule, AuthModule, QuotasModule], controllers: [OrdersController], providers: [OrderReads, OrderOwnership], exports: [OrderOwnership] })
export class OrdersModule {}
