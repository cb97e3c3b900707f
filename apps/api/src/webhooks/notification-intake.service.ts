import { Inject, Injectable, Logger } from '@nestjs/common';
import { WorkflowNotFoundError } from '@temporalio/client';
import { FOLLOWED_TOPICS, notificationSignalOf, notifiedFollowUpWorkflowId, type FollowedTopic, type UpstreamNotification } from '@app/contracts';
import { isValidNumericId, isValidOrderId } from '@app/mercadopago';
import type { Merchant } from '../api-config';
import { MERCHANTS_SECTION, WEBHOOKS_SECTION, type MerchantsSection, type WebhooksSection } from '../api-config-sections';
import { ApiMetrics } from '../http/telemetry/api-metrics';
import { TemporalAccess } from '../temporal/temporal-access';
import { verifySignature, type SignatureCandidate, type SignatureEvidence } from './mercadopago-signature';
import { notificationChange } from './notification-change';
import { RecentNotifications } from './recent-notifications';

/** What became of a notification: the label of webhook_notifications_total, and the answer's `result`. */
export type NotificationResult = 'accepted' | 'bad_signature' | 'stale' | 'duplicate' | 'unknown_order' | 'unknown_payment' | 'ignored_topic' | 'unavailable';

/** A notification as received: the signature's evidence, the query's `type`, and its body, read only once the signature holds. */
export interface ReceivedNotification extends SignatureEvidence {
  topic: string | undefined;
  readBody: () => Promise<Buffer>;
}

/**
 * What a valid `data.id` looks like on each followed topic: an order id, or a payment's numeric id
 * (Wallet Connect's payments). The panel offers other topics, which this API does not follow.
 */
const VALID_DATA_ID: Readonly<Record<FollowedTopic, (id: string) => boolean>> = { order: isValidOrderId, payment: isValidNumericId };
const UNKNOWN: Readonly<Record<FollowedTopic, NotificationResult>> = { order: 'unknown_order', payment: 'unknown_payment' };

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
    @Inject(WEBHOOKS_SECTION) private readonly webhooks: WebhooksSection,
    @Inject(MERCHANTS_SECTION) merchants: MerchantsSection,
    private readonly temporal: TemporalAccess,
    private readonly metrics: ApiMetrics,
  ) {
    this.candidates = merchants.flatMap((merchant) => (merchant.webhookSecret === null ? [] : [{ owner: merchant, secret: merchant.webhookSecret }]));
  }

  async receive(notification: ReceivedNotification): Promise<NotificationResult> {
    const verdict = verifySignature(notification, this.candidates, Date.now(), this.webhooks.signatureToleranceMs);
    // Before the signature holds, nothing the request says is logged: it may be anyone's.
    if (verdict.kind === 'invalid') return this.settled('bad_signature', null, {});
    const merchant = verdict.owner;
    const topic = FOLLOWED_TOPICS.find((followed) => followed === notification.topic);
    const dataId = notification.dataId ?? '';
    // The topic is not signed: cut short, since a replay may carry anything there.
    const facts = {
      data_id: topic !== undefined && VALID_DATA_ID[topic](dataId) ? dataId : null,
      topic: notification.topic?.slice(0, LOGGED_TOPIC_LENGTH) ?? null,
      request_id: notification.requestId ?? null,
    };
    if (verdict.kind === 'stale') return this.settled('stale', merchant, facts);
    if (topic === undefined) return this.settled('ignored_topic', merchant, facts);
    if (facts.data_id === null) return this.settled(UNKNOWN[topic], merchant, facts);
    const workflowId = notifiedFollowUpWorkflowId(topic, dataId);
    // What was signed counts once, whatever body a replay brings: checked before the body is read.
    const signed = `signed:${verdict.signed.id}`;
    if (this.recent.has(merchant.name, workflowId, signed)) return this.settled('duplicate', merchant, facts);
    const change = notificationChange(await notification.readBody(), notification.requestId);
    if (this.recent.has(merchant.name, workflowId, change)) {
      this.recent.remember(merchant.name, workflowId, signed);
      return this.settled('duplicate', merchant, { ...facts, change });
    }
    const signalled = await this.signal(merchant, topic, workflowId, {
      change,
      receivedAt: new Date().toISOString(),
      signed: { id: verdict.signed.id, until: new Date(verdict.signed.untilMs).toISOString() },
    });
    if (signalled === 'accepted') {
      this.recent.remember(merchant.name, workflowId, change);
      this.recent.remember(merchant.name, workflowId, signed);
    }
    return this.settled(signalled === 'not_followed' ? UNKNOWN[topic] : signalled, merchant, { ...facts, change });
  }

  /**
   * Signals the follow-up of the notified order or payment, within the RPC deadline. No follow-up
   * (never followed, or settled) is not an error: Mercado Pago notifies resources this API never saw.
   */
  private async signal(merchant: Merchant, topic: FollowedTopic, workflowId: string, notification: UpstreamNotification): Promise<'accepted' | 'not_followed' | 'unavailable'> {
    const client = this.temporal.client(merchant);
    try {
      await this.temporal.withRpcDeadline(client, () => client.workflow.getHandle(workflowId).signal(notificationSignalOf(topic), notification));
      return 'accepted';
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return 'not_followed';
      // Answered 500, so Mercado Pago sends it again later: nothing is lost while Temporal is away.
      this.logger.warn(`could not signal ${workflowId}: ${error instanceof Error ? error.message : String(error)}`);
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
