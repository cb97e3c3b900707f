import { Inject, Injectable, Logger } from '@nestjs/common';
import { WorkflowNotFoundError } from '@temporalio/client';
import { followUpWorkflowId, isValidOrderId, orderNotificationSignal, type OrderNotification } from '@app/contracts';
import { API_CONFIG, type ApiConfig, type Merchant } from '../api-config';
import { ApiMetrics } from '../observability/api-metrics';
import { TemporalAccess } from '../temporal/temporal-access';
import { verifySignature, type SignatureCandidate, type SignatureEvidence } from './mercadopago-signature';
import { notificationChange } from './notification-change';
import { RecentNotifications } from './recent-notifications';

/** What became of a notification: the label of webhook_notifications_total, and the answer's `result`. */
export type NotificationResult = 'accepted' | 'bad_signature' | 'stale' | 'duplicate' | 'unknown_order' | 'ignored_topic' | 'unavailable';

/** A notification as received: the signature's evidence, the query's `type`, and its body, read only once the signature holds. */
export interface ReceivedNotification extends SignatureEvidence {
  topic: string | undefined;
  readBody: () => Promise<Buffer>;
}

/** The topic of the "Order (Mercado Pago)" event; the panel offers others, which this API does not follow. */
const ORDER_TOPIC = 'order';

/** Mercado Pago's topics are short words (order, payment, mp-connect …). */
const LOGGED_TOPIC_LENGTH = 64;

/** About 300 bytes each: a few megabytes at most, enough to absorb Mercado Pago's resends. */
const RECENT_NOTIFICATIONS = 10_000;

/**
 * Takes Mercado Pago's notifications in (docs/api.md, "Notifications from Mercado Pago"): checks
 * the signature and its age, then hands the order's change to the order's follow-up as a signal,
 * in the namespace of the merchant whose secret signed it. The follow-up reads the order itself:
 * nothing here trusts the body, and nothing here writes upstream.
 */
@Injectable()
export class NotificationIntake {
  private readonly logger = new Logger('Webhook');
  private readonly recent = new RecentNotifications(RECENT_NOTIFICATIONS);
  private readonly candidates: ReadonlyArray<SignatureCandidate<Merchant>>;

  constructor(
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    private readonly temporal: TemporalAccess,
    private readonly metrics: ApiMetrics,
  ) {
    this.candidates = config.merchants.flatMap((merchant) => (merchant.webhookSecret === null ? [] : [{ owner: merchant, secret: merchant.webhookSecret }]));
  }

  async receive(notification: ReceivedNotification): Promise<NotificationResult> {
    const verdict = verifySignature(notification, this.candidates, Date.now(), this.config.WEBHOOK_SIGNATURE_TOLERANCE_MS);
    // Before the signature holds, nothing the request says is logged: it may be anyone's.
    if (verdict.kind === 'invalid') return this.settled('bad_signature', null, {});
    const merchant = verdict.owner;
    const orderId = notification.dataId ?? '';
    // The topic is not signed: cut short, since a replay may carry anything there.
    const facts = { order_id: isValidOrderId(orderId) ? orderId : null, topic: notification.topic?.slice(0, LOGGED_TOPIC_LENGTH) ?? null, request_id: notification.requestId ?? null };
    if (verdict.kind === 'stale') return this.settled('stale', merchant, facts);
    if (notification.topic !== ORDER_TOPIC) return this.settled('ignored_topic', merchant, facts);
    if (facts.order_id === null) return this.settled('unknown_order', merchant, facts);
    const change = notificationChange(await notification.readBody(), notification.requestId);
    if (this.recent.has(merchant.name, orderId, change)) return this.settled('duplicate', merchant, { ...facts, change });
    const result = await this.signal(merchant, orderId, { change, receivedAt: new Date().toISOString() });
    if (result === 'accepted') this.recent.remember(merchant.name, orderId, change);
    return this.settled(result, merchant, { ...facts, change });
  }

  /**
   * Signals the order's follow-up, within the RPC deadline. No follow-up (the order was never
   * followed, or has settled) is not an error: Mercado Pago notifies orders this API never saw.
   */
  private async signal(merchant: Merchant, orderId: string, notification: OrderNotification): Promise<'accepted' | 'unknown_order' | 'unavailable'> {
    const client = this.temporal.client(merchant);
    try {
      await this.temporal.withRpcDeadline(client, () => client.workflow.getHandle(followUpWorkflowId(orderId)).signal(orderNotificationSignal, notification));
      return 'accepted';
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return 'unknown_order';
      // Answered 500, so Mercado Pago sends it again later: nothing is lost while Temporal is away.
      this.logger.warn(`could not signal the follow-up of ${orderId}: ${error instanceof Error ? error.message : String(error)}`);
      return 'unavailable';
    }
  }

  /** Counts and logs the notification once, never with a secret or a signature. */
  private settled(result: NotificationResult, merchant: Merchant | null, facts: Readonly<Record<string, string | null>>): NotificationResult {
    const merchantName = merchant?.name ?? '';
    this.metrics.webhookNotifications.inc({ merchant: merchantName, result });
    this.logger.log({ message: `notification ${result}`, result, merchant: merchant?.name ?? null, ...facts });
    return result;
  }
}
