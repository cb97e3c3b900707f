import { documentedCreateAnswers, orderIdIn } from '../drill/answers';
import { replayProblem } from '../drill/replays';
import { payOrder, sendUntilFinal, type CheckoutTarget, type KeyAnswers, type KeyRecord } from '../drill/checkout';
import type { DrillStack } from '../drill/drill-stack';
import { cardOrderBody, createCardToken, createSimulatorOrder } from '../lib/simulator-orders';
import type { SoakPlan } from './soak-plan';

/** What a soak key was: an order paid at once, one created through the API first, or one left pending. */
export type KeyKind = 'pay' | 'create-and-pay' | 'pending' | 'long-pending';

export interface SoakKey extends KeyRecord {
  kind: KeyKind;
  clientId: string;
  sentAt: number;
}

/** An order created through the API (POST /v1/orders): its run leaves the order's ownership record. */
export interface CreateRecord extends KeyAnswers {
  clientId: string;
  sentAt: number;
}

/** A pending order, and when (and how) the soak settled it; null while it waits. */
export interface PendingOrder {
  key: string;
  orderId: string;
  /** When its `processing` answer came: its follow-up was running by then. */
  answeredAt: number;
  settledAt: number | null;
  outcome: 'approved' | 'declined';
}

/** Everything the traffic did, for the samples and the final checks. */
export interface TrafficLog {
  keys: SoakKey[];
  creates: CreateRecord[];
  pending: PendingOrder[];
  replays: { sent: number; differing: string[] };
}

/** The soak's two checkout clients: the first has a callback URL, the second none. */
export interface SoakClients {
  callback: { id: string; token: string };
  plain: { id: string; token: string };
}

/** Shares of a lane's turns; the rest pays an order created in the simulator. */
const SHARES = { replay: 0.2, createAndPay: 0.15, pending: 0.1 } as const;
const DECLINED_SHARE = 0.1;
/** Replays pick among this many latest answered keys (older ones were replayed at the end anyway). */
const REPLAY_WINDOW = 500;
/** Differing replays kept as examples. */
const MAX_EXAMPLES = 20;

/**
 * Mixed checkout traffic over both APIs for `plan.minutes`: orders paid at once (one in ten
 * declined), orders created through the API and then paid (each leaving an ownership record),
 * pending (CONT) orders that the simulator settles a few seconds later, notifying the API, and
 * replays of answered keys, which must come back byte-identical. `plan.longPending` pending orders
 * are left waiting throughout. Every loop ends with the window; every key has a deadline.
 */
export class SoakTraffic {
  readonly log: TrafficLog = { keys: [], creates: [], pending: [], replays: { sent: 0, differing: [] } };
  private readonly settlements: Promise<void>[] = [];
  private sequence = 0;

  constructor(
    private readonly stack: DrillStack,
    private readonly clients: SoakClients,
    private readonly plan: SoakPlan,
  ) {}

  /** The pending orders that wait for a settlement at this moment (the long-pending ones included). */
  waitingCount(): number {
    return this.log.pending.filter((order) => order.settledAt === null).length;
  }

  /** Leaves `plan.longPending` payments pending, then runs the lanes until `endAt`, and waits for the settlements they scheduled. */
  async run(endAt: number): Promise<void> {
    for (let index = 0; index < this.plan.longPending; index += 1) await this.pending(null);
    await Promise.all(Array.from({ length: this.plan.lanes }, () => this.lane(endAt)));
    await Promise.all(this.settlements);
  }

  /** Settles the long-pending orders (approved), so their follow-ups end and call back. */
  async settleLongPending(): Promise<void> {
    for (const order of this.log.pending.filter((candidate) => candidate.settledAt === null)) await this.settle(order);
  }

  private async lane(endAt: number): Promise<void> {
    while (Date.now() < endAt) {
      const draw = Math.random();
      if (draw < SHARES.replay && this.log.keys.length > 0) await this.replayOne();
      else if (draw < SHARES.replay + SHARES.createAndPay) await this.createAndPay();
      else if (draw < SHARES.replay + SHARES.createAndPay + SHARES.pending && this.waitingCount() < this.plan.longPending + this.plan.maxPendingWaiting) {
        await this.pending(this.plan.settleDelayMs.min + Math.random() * (this.plan.settleDelayMs.max - this.plan.settleDelayMs.min));
      } else await this.pay();
    }
  }

  private async pay(): Promise<void> {
    const declined = Math.random() < DECLINED_SHARE;
    const orderId = await createSimulatorOrder({ ...this.simulatorAccess(), cardholder: declined ? 'OTHE' : 'APRO', processingMode: 'manual' });
    await this.payWith(this.anyClient(), orderId, 'pay', declined);
  }

  /** Creates the order through the API as the client (201), then pays it as the same client. */
  private async createAndPay(): Promise<void> {
    const client = this.anyClient();
    const declined = Math.random() < DECLINED_SHARE;
    const cardToken = await createCardToken(this.simulatorAccess(), declined ? 'OTHE' : 'APRO');
    const create: CreateRecord = { key: this.newKey('create'), clientId: client.id, sentAt: Date.now(), requests: 0, answers: {}, final: null };
    this.log.creates.push(create);
    const body = JSON.stringify(cardOrderBody(cardToken, 'manual'));
    await sendUntilFinal(
      create,
      Date.now() + this.plan.keyDeadlineMs,
      this.plan.requestTimeoutMs,
      (timeoutMs) => fetch(`${this.anyApi()}/v1/orders`, { method: 'POST', headers: this.headers(client, create.key, true), body, signal: AbortSignal.timeout(timeoutMs) }),
      documentedCreateAnswers,
    );
    const orderId = create.final === null ? null : orderIdIn(create.final.body);
    if (orderId !== null) await this.payWith(client, orderId, 'create-and-pay', declined);
  }

  /**
   * A CONT order (manual review): answered `processing`, followed until the simulator settles it
   * `settleAfterMs` later, or never (null: a long-pending one, settled by settleLongPending).
   */
  private async pending(settleAfterMs: number | null): Promise<void> {
    const orderId = await createSimulatorOrder({ ...this.simulatorAccess(), cardholder: 'CONT', processingMode: 'manual' });
    const record = await this.payWith(this.clients.callback, orderId, settleAfterMs === null ? 'long-pending' : 'pending', false);
    if (record.final === null) return;
    const order: PendingOrder = { key: record.key, orderId, answeredAt: Date.now(), settledAt: null, outcome: Math.random() < DECLINED_SHARE ? 'declined' : 'approved' };
    this.log.pending.push(order);
    if (settleAfterMs !== null) this.settlements.push(new Promise((resolve) => setTimeout(resolve, settleAfterMs)).then(() => this.settle(order)));
  }

  private async settle(order: PendingOrder): Promise<void> {
    const response = await fetch(`${this.stack.simulatorUrl}/__simulator/orders/${order.orderId}/settle`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ outcome: order.outcome }),
      signal: AbortSignal.timeout(30_000),
    });
    if (!response.ok) throw new Error(`the simulator did not settle ${order.orderId}: ${response.status} ${await response.text()}`);
    order.settledAt = Date.now();
  }

  /** Sends an answered key's request again, to either API: the same status and body, marked replayed. */
  private async replayOne(): Promise<void> {
    const recent = this.log.keys.slice(-REPLAY_WINDOW).filter((record) => record.final !== null);
    const record = recent[Math.floor(Math.random() * recent.length)];
    if (record === undefined) return;
    this.log.replays.sent += 1;
    const problem = await replayProblem(this.targetOf(record.clientId), record, this.plan.requestTimeoutMs);
    if (problem !== null && this.log.replays.differing.length < MAX_EXAMPLES) this.log.replays.differing.push(problem);
  }

  private async payWith(client: { id: string; token: string }, orderId: string, kind: KeyKind, declined: boolean): Promise<SoakKey> {
    const record: SoakKey = {
      key: this.newKey(kind),
      orderId,
      expected: declined ? '402 failed' : '200 order',
      kind,
      clientId: client.id,
      sentAt: Date.now(),
      requests: 0,
      answers: {},
      final: null,
    };
    this.log.keys.push(record);
    return payOrder(this.targetOf(client.id), record, Date.now() + this.plan.keyDeadlineMs, this.plan.requestTimeoutMs);
  }

  targetOf(clientId: string): CheckoutTarget {
    const client = clientId === this.clients.callback.id ? this.clients.callback : this.clients.plain;
    return { apiUrls: this.stack.apiUrls, clientToken: client.token };
  }

  private anyClient(): { id: string; token: string } {
    return Math.random() < 0.5 ? this.clients.callback : this.clients.plain;
  }

  private anyApi(): string {
    return this.stack.apiUrls[Math.floor(Math.random() * this.stack.apiUrls.length)]!;
  }

  private headers(client: { token: string }, key: string, json: boolean): Record<string, string> {
    return { authorization: `Bearer ${client.token}`, 'x-idempotency-key': key, ...(json ? { 'content-type': 'application/json' } : {}) };
  }

  private simulatorAccess() {
    return { baseUrl: this.stack.simulatorUrl, accessToken: this.stack.merchantToken };
  }

  private newKey(kind: string): string {
    this.sequence += 1;
    return `soak-${kind}-${this.sequence}-${Date.now().toString(36)}`;
  }
}
