import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { API_CONFIG, type ApiConfig } from './api-config';
import { BearerAuthGuard } from './auth/bearer-auth.guard';
import { ClientAuthenticator } from './auth/client-authenticator';
import { OrdersExceptionFilter } from './http/orders-exception.filter';
import { PaymentRuns } from './idempotency/payment-runs.service';
import { OrdersController } from './orders/orders.controller';
import { temporalClientProvider } from './temporal/temporal-client.provider';

@Module({})
export class ApiModule {
  /** Config is validated before Nest starts, so a bad variable fails with a plain message. */
  static withConfig(config: ApiConfig): DynamicModule {
    return {
      module: ApiModule,
      controllers: [OrdersController],
      providers: [
        { provide: API_CONFIG, useValue: config },
        { provide: APP_FILTER, useClass: OrdersExceptionFilter },
        temporalClientProvider,
        ClientAuthenticator,
        BearerAuthGuard,
        PaymentRuns,
      ],
    };
  }
}
