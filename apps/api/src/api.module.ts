import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { API_CONFIG, type ApiConfig } from './api-config';
import { BearerAuthGuard } from './auth/bearer-auth.guard';
import { HealthController } from './health/health.controller';
import { ClientAuthenticator } from './auth/client-authenticator';
import { ProblemExceptionFilter } from './http/problem-exception.filter';
import { PaymentRuns } from './idempotency/payment-runs.service';
import { AdvancedPaymentsController } from './advanced-payments/advanced-payments.controller';
import { IdempotentWrites } from './operations/idempotent-writes.service';
import { OrderReads } from './orders/order-reads.service';
import { OrdersController } from './orders/orders.controller';
import { temporalClientProvider } from './temporal/temporal-client.provider';

@Module({})
export class ApiModule {
  /** Config is validated before Nest starts, so a bad variable fails with a plain message. */
  static withConfig(config: ApiConfig): DynamicModule {
    return {
      module: ApiModule,
      controllers: [OrdersController, AdvancedPaymentsController, HealthController],
      providers: [
        { provide: API_CONFIG, useValue: config },
        { provide: APP_FILTER, useClass: ProblemExceptionFilter },
        temporalClientProvider,
        ClientAuthenticator,
        BearerAuthGuard,
        PaymentRuns,
        IdempotentWrites,
        OrderReads,
      ],
    };
  }
}
