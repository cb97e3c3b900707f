import type { NotificationFault } from './notification-faults';

/** One notification the simulator meant to send, and what became of it. Serialised as it is. */
export interface NotificationRecord {
  order_id: string;
  action: string;
  status: string;
  status_detail: string;
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

/** Oldest records are dropped past this, so a long benchmark cannot exhaust memory. */
const MAX_RECORDS = 10_000;

export class NotificationLog {
  private records: NotificationRecord[] = [];

  /** Adds a record and returns it: delivery updates it as attempts happen. */
  add(record: NotificationRecord): NotificationRecord {
    this.records.push(record);
    if (this.records.length > MAX_RECORDS) this.records = this.records.slice(-MAX_RECORDS);
    return record;
  }

  list(orderId: string | undefined): NotificationRecord[] {
    return this.records.filter((record) => orderId === undefined || record.order_id === orderId);
  }

  clear(): void {
    this.records = [];
  }
}
