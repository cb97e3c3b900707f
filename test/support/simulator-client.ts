import type { Fault } from '../../apps/simulator/src/faults/fault-rules';
import type { JournalEntry } from '../../apps/simulator/src/journal/journal';
import type { NotificationRecord } from '../../apps/simulator/src/notifications/notification-log';
import { createCardToken, createSimulatorOrder } from '../../scripts/lib/simulator-orders';
import { UPSTREAM_TOKEN } from './stack';

const PROCESS_ROUTE = '/v1/orders/{id}/process';

/** Drives the simulator the way a test needs: set up orders, inject faults, read what it did. */
export class SimulatorClient {
  constructor(
    private readonly baseUrl: string,
    /** Whose Mercado Pago account its orders and card tokens belong to. */
    private readonly accessToken: string = UPSTREAM_TOKEN,
  ) {}

  /** An order whose payment outcome is decided by the cardholder name (APRO, OTHE, …). */
  createOrder(cardholder = 'APRO', processingMode: 'manual' | 'automatic' = 'manual', captureMode: 'automatic' | 'manual' = 'automatic'): Promise<string> {
    return createSimulatorOrder({ baseUrl: this.baseUrl, accessToken: this.accessToken, cardholder, processingMode, captureMode });
  }

  /** An approved order in the state an operation needs: just created, waiting for capture, or processed. */
  async orderIn(state: 'created' | 'waiting_capture' | 'processed'): Promise<string> {
    const orderId = await this.createOrder('APRO', 'manual', state === 'waiting_capture' ? 'manual' : 'automatic');
    if (state !== 'created') await this.send('POST', `/v1/orders/${orderId}/process`, `setup-${orderId}`);
    return orderId;
  }

  /** A fresh card token, as a checkout would create before an order. */
  cardToken(cardholder = 'APRO'): Promise<string> {
    return createCardToken({ baseUrl: this.baseUrl, accessToken: this.accessToken }, cardholder);
  }

  async injectProcessFault(orderId: string, fault: Fault, times = 1): Promise<void> {
    await this.injectFault(PROCESS_ROUTE, orderId, fault, times);
  }

  /** Applies to the next `times` calls of the route (for that order, when one is given). */
  async injectFault(route: string, orderId: string | null, fault: Fault, times = 1): Promise<void> {
    const match = orderId === null ? { route } : { route, orderId };
    await this.control('POST', '/__simulator/faults', { match, fault, times });
  }

  async clearFaults(): Promise<void> {
    await this.control('DELETE', '/__simulator/faults');
  }

  /** Journal entries of a route (or every route), for one order when given, recorded at or after `since`. */
  async calls(route: string | null, orderId: string | null, since: number): Promise<JournalEntry[]> {
    const query = new URLSearchParams({ ...(route === null ? {} : { route }), ...(orderId === null ? {} : { order_id: orderId }) });
    const { entries } = await this.control<{ entries: JournalEntry[] }>('GET', `/__simulator/journal?${query}`);
    return entries.filter((entry) => Date.parse(entry.time) >= since);
  }

  /** Settles a waiting order now (a CONT review, a CHAL challenge), as Mercado Pago eventually would; it is notified. */
  async settle(orderId: string, outcome: 'approved' | 'declined'): Promise<void> {
    await this.control('POST', `/__simulator/orders/${orderId}/settle`, { outcome });
  }

  /** Settles a pending (CONT) Wallet Connect advanced payment now, as Mercado Pago eventually would; it is notified. */
  async settleAdvancedPayment(advancedPaymentId: number | string, outcome: 'approved' | 'declined'): Promise<void> {
    await this.control('POST', `/__simulator/advanced-payments/${advancedPaymentId}/settle`, { outcome });
  }

  /** Applies to the next `times` notifications the simulator sends. */
  async injectNotificationFault(fault: 'drop' | 'duplicate' | 'forge', times = 1): Promise<void> {
    await this.control('POST', '/__simulator/notification-faults', { fault, times });
  }

  /** What the simulator notified (or did not) about one order. */
  notifications(orderId: string): Promise<NotificationRecord[]> {
    return this.notificationsWhere({ order_id: orderId });
  }

  /** What the simulator notified (or did not) with this `data.id`: a payment's id (an advanced payment's `payments[0].id`), or an order's. */
  notificationsByDataId(dataId: string): Promise<NotificationRecord[]> {
    return this.notificationsWhere({ data_id: dataId });
  }

  /** Journal entries of the process endpoint for one order. */
  async processCalls(orderId: string): Promise<JournalEntry[]> {
    const query = new URLSearchParams({ order_id: orderId, route: PROCESS_ROUTE });
    const { entries } = await this.control<{ entries: JournalEntry[] }>('GET', `/__simulator/journal?${query}`);
    return entries;
  }

  /** How many times the upstream really processed the order. */
  async processEffects(orderId: string): Promise<number> {
    return (await this.processCalls(orderId)).filter((entry) => entry.effect).length;
  }

  private async notificationsWhere(filter: Record<string, string>): Promise<NotificationRecord[]> {
    const { notifications } = await this.control<{ notifications: NotificationRecord[] }>('GET', `/__simulator/notifications?${new URLSearchParams(filter)}`);
    return notifications;
  }

  private async send(method: string, path: string, idempotencyKey: string): Promise<void> {
    const headers = { authorization: `Bearer ${this.accessToken}`, 'x-idempotency-key': idempotencyKey };
    const response = await fetch(`${this.baseUrl}${path}`, { method, headers });
    const text = await response.text();
    if (!response.ok) throw new Error(`simulator ${method} ${path} → ${response.status}: ${text}`);
  }

  private async control<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`simulator ${method} ${path} → ${response.status}: ${text}`);
    return JSON.parse(text) as T;
  }
}
