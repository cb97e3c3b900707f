import type { NotificationFault } from './notification-faults';
import { RecentEntries } from '../recent-entries';

/** Mercado Pago's notification topics the simulator sends: order changes, and payments (Wallet Connect's). */
export type NotificationTopic = 'order' | 'payment';

/** One notification the simulator meant to send, and what became of it. Serialised as it is. */
export interface NotificationRecord {
  /** The query's `type`. */
  topic: NotificationTopic;
  /** The query's `data.id`: the order's id, or the payment's (an advanced payment's `payments[0].id`). */
  data_id: string;
  /** The order's id for an order notification; null for a payment one. */
  order_id: string | null;
  action: string;
  /** The order's, or the payment's, status and status_detail after the change. */
  status: string;
  status_detail: string;
  /** Counts the order's (or advanced payment's) changes: 1 when created. */
  version: number;
  request_id: string;
  fault: NotificationFault['type'] | null;
  /** scheduled → sending → delivered (a 2xx) or failed (attempts used up); dropped by a fault. */
  state: 'scheduled' | 'sending' | 'delivered' | 'failed' | 'dropped';
  /** HTTP requests made, retries and duplicate copies included. */
  attempts: number;
  /** The receiver's status on the last attempt, or null when it did not answer. */
  last_status: number | null;
  /** Why the last attempt got no answer (timeout, connection refused…), or null. */
  last_error: string | null;
  created_at: string;
  last_attempt_at: string | null;
}

export interface NotificationFilter {
  orderId?: string;
  dataId?: string;
}

/** The most recent records kept (RecentEntries: a tenth more at times), so a long benchmark cannot exhaust memory. */
const KEPT_RECORDS = 10_000;

export class NotificationLog {
  private readonly records = new RecentEntries<NotificationRecord>(KEPT_RECORDS);

  /** Adds a record and returns it: delivery updates it as attempts happen. */
  add(record: NotificationRecord): NotificationRecord {
    this.records.add(record);
    return record;
  }

  /** The records matching every filter given, oldest first. */
  list(filter: NotificationFilter): NotificationRecord[] {
    return this.records.filter((record) => (filter.orderId === undefined || record.order_id === filter.orderId) && (filter.dataId === undefined || record.data_id === filter.dataId));
  }

  clear(): void {
    this.records.clear();
  }
}
