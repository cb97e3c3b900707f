import { randomUUID } from 'node:crypto';
import type { JsonObject } from '@app/contracts/json';
import type { BackgroundTasks } from '../background-tasks';
import { rfc3339Millis, type Clock } from '../clock';
import { NumericIdSequence } from '../ids';
import type { NotificationFaults } from './notification-faults';
import type { NotificationLog, NotificationRecord, NotificationTopic } from './notification-log';
import { postNotification, type SignedNotification } from './notification-post';
import type { NotificationSettings } from './notification-settings';
import { signatureHeader, signatureTimestamp } from './notification-signature';

/**
 * Delivery is a small, bounded stand-in for Mercado Pago's (which retries about every 15 minutes
 * for much longer, reference §6): a receiver must answer 200/201 (any 2xx here) within the timeout,
 * else the request is repeated a couple of times, a second apart.
 */
const ATTEMPT_TIMEOUT_MS = 5_000;
const MAX_ATTEMPTS = 3;
const RETRY_INTERVAL_MS = 1_000;

export interface NotifierDependencies {
  /** Where notifications go; undefined turns them off. */
  url: string | undefined;
  /** Webhook secret per access token (one merchant's application each); changes for other tokens are not notified. */
  secrets: ReadonlyMap<string, string>;
  settings: NotificationSettings;
  faults: NotificationFaults;
  log: NotificationLog;
  tasks: BackgroundTasks;
  clock: Clock;
}

/** One change to notify, as its topic's message module describes it. */
export interface NotificationSubject {
  /** Whose change it is: their application's secret signs it. */
  ownerToken: string;
  /** The query's `type`: what `data.id` names. */
  topic: NotificationTopic;
  /** The query's `data.id`, also the id in the signed manifest. */
  dataId: string;
  /** What the log shows about the message besides its topic and id. */
  summary: Pick<NotificationRecord, 'order_id' | 'action' | 'status' | 'status_detail' | 'version'>;
  /** The JSON body; `notificationId` is the notification's own id, which its resends keep. */
  body: (nowMs: number, notificationId: number) => JsonObject;
}

/** One notification on its way: the request, its record, and the reset it belongs to. */
interface Delivery {
  notification: SignedNotification;
  record: NotificationRecord;
  /** Aborted by a reset or close: nothing more is sent or recorded for this delivery. */
  signal: AbortSignal;
}

/**
 * Posts a signed notification for every change it is told about (orders, advanced payments), as
 * Mercado Pago's webhooks do: one delivery, signature, fault and log for every topic.
 */
export class Notifier {
  /** Parsed once, so that a bad URL stops startSimulator instead of failing every change. */
  private readonly url: URL | undefined;
  private readonly notificationIds = new NumericIdSequence(50_000_001);

  constructor(private readonly dependencies: NotifierDependencies) {
    this.url = dependencies.url === undefined ? undefined : new URL(dependencies.url);
  }

  notify(subject: NotificationSubject): void {
    const { secrets, settings, faults, log, tasks, clock } = this.dependencies;
    const secret = secrets.get(subject.ownerToken);
    if (this.url === undefined || secret === undefined) return;

    const fault = faults.take();
    const nowMs = clock.nowMs();
    const requestId = randomUUID();
    const ts = signatureTimestamp(nowMs, settings.tsUnit);
    // A forged notification is signed with a secret nobody configured, so it must fail verification.
    const signingSecret = fault?.type === 'forge' ? `forged-${randomUUID()}` : secret;
    const target = new URL(this.url);
    target.searchParams.set('data.id', subject.dataId);
    target.searchParams.set('type', subject.topic);
    const notification: SignedNotification = {
      url: target,
      headers: {
        'content-type': 'application/json',
        'x-request-id': requestId,
        'x-signature': signatureHeader({ dataId: subject.dataId, requestId, ts, secret: signingSecret, idCase: settings.idCase }),
      },
      body: JSON.stringify(subject.body(nowMs, this.notificationIds.take())),
    };
    const record = log.add({
      topic: subject.topic,
      data_id: subject.dataId,
      ...subject.summary,
      request_id: requestId,
      fault: fault?.type ?? null,
      state: fault?.type === 'drop' ? 'dropped' : 'scheduled',
      attempts: 0,
      last_status: null,
      last_error: null,
      created_at: rfc3339Millis(nowMs),
      last_attempt_at: null,
    });
    if (fault?.type === 'drop') return;

    const delivery: Delivery = { notification, record, signal: tasks.signal };
    const copies = fault?.type === 'duplicate' ? 2 : 1;
    // Always through a timer, even without a delay: the API call that made the change answers first.
    tasks.after(fault?.type === 'delay' ? fault.delayMs : 0, () => this.attempt(delivery, copies, 1));
  }

  /** Sends one copy, retrying it on failure, then the remaining copies. */
  private attempt(delivery: Delivery, copiesLeft: number, attemptOfCopy: number): void {
    const { record, signal } = delivery;
    record.state = 'sending';
    record.attempts += 1;
    record.last_attempt_at = rfc3339Millis(this.dependencies.clock.nowMs());
    void postNotification(delivery.notification, ATTEMPT_TIMEOUT_MS, signal).then((outcome) => {
      if (signal.aborted) return;
      record.last_status = outcome.kind === 'answered' ? outcome.status : null;
      record.last_error = outcome.kind === 'unanswered' ? outcome.error : null;
      const accepted = outcome.kind === 'answered' && outcome.status >= 200 && outcome.status < 300;
      if (!accepted && attemptOfCopy < MAX_ATTEMPTS) {
        this.dependencies.tasks.after(RETRY_INTERVAL_MS, () => this.attempt(delivery, copiesLeft, attemptOfCopy + 1));
      } else if (copiesLeft > 1) {
        this.attempt(delivery, copiesLeft - 1, 1);
      } else {
        record.state = accepted ? 'delivered' : 'failed';
      }
    });
  }
}
