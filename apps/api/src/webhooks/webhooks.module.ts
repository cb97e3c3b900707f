import { Module } from '@nestjs/common';
import { TemporalModule } from '../temporal/temporal.module';
import { MercadoPagoWebhookController } from './mercadopago-webhook.controller';
import { NotificationIntake } from './notification-intake.service';

/** Mercado Pago's signed notifications in, passed on to the follow-ups they concern. */
@Module({ imports: [TemporalModule], controllers: [MercadoPagoWebhookController], providers: [NotificationIntake] })
export class WebhooksModule {}
