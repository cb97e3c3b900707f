import { Controller, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { BodyTooLarge, readBoundedBody } from '../http/bounded-body';
import { send } from '../http/problems/http-answer';
import { DocumentedWebhook } from './documented-webhook';
import { notificationAnswer } from './notification-answer';
import { NotificationIntake } from './notification-intake.service';

/** Where Mercado Pago's panel is told to send notifications (docs/api.md). */
export const MERCADOPAGO_WEBHOOK_PATH = '/webhooks/mercadopago';

/** Mercado Pago's notification bodies are well under a kilobyte. */
const NOTIFICATION_BODY_LIMIT_BYTES = 100 * 1024;

/**
 * Whether a request is for the webhook, as Express routes it (any case, an optional trailing
 * slash). The app's JSON parser leaves these alone: a body that does not parse must not stop a
 * signed notification, and the body is read only once the signature holds.
 */
export function isWebhookPath(path: string): boolean {
  return path.toLowerCase().replace(/\/$/, '') === MERCADOPAGO_WEBHOOK_PATH;
}

/**
 * Mercado Pago's notifications in. No bearer token: Mercado Pago authenticates with the
 * notification's signature instead (NotificationIntake), so this controller has no BearerAuthGuard.
 */
@Controller(MERCADOPAGO_WEBHOOK_PATH.slice(1))
export class MercadoPagoWebhookController {
  constructor(private readonly intake: NotificationIntake) {}

  @Post()
  @DocumentedWebhook()
  async receive(@Req() request: Request, @Res() response: Response): Promise<void> {
    const result = await this.intake.receive({
      signature: text(request.headers['x-signature']),
      requestId: text(request.headers['x-request-id']),
      dataId: text(request.query['data.id']),
      topic: text(request.query.type),
      readBody: () => readNotificationBody(request),
    });
    send(response, notificationAnswer(result));
  }
}

/** A header or query value given once; a repeated or nested one counts as absent. */
function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** An oversized body names no change; it is answered like one that is not JSON. */
async function readNotificationBody(request: Request): Promise<Buffer> {
  try {
    return await readBoundedBody(request, NOTIFICATION_BODY_LIMIT_BYTES);
  } catch (error) {
    if (error instanceof BodyTooLarge) return Buffer.alloc(0);
    throw error;
  }
}
