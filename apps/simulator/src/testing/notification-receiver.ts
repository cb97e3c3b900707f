import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A notification as the receiver got it. */
export interface ReceivedNotification {
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Record<string, unknown>;
  receivedAtMs: number;
}

/** Every wait is bounded, so a missing notification fails a test instead of hanging it. */
const WAIT_TIMEOUT_MS = 5_000;

/**
 * A webhook endpoint on loopback for the notification tests: it keeps every request and answers
 * 200, or the statuses queued with `answerNext`.
 */
export class NotificationReceiver {
  readonly received: ReceivedNotification[] = [];
  private readonly queuedStatuses: number[] = [];
  private answerDelayMs = 0;
  private readonly waiters = new Set<() => void>();

  private readonly server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const url = new URL(request.url ?? '/', 'http://receiver');
      this.record({
        path: url.pathname,
        query: url.searchParams,
        headers: request.headers,
        body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>,
        receivedAtMs: Date.now(),
      });
      const status = this.queuedStatuses.shift() ?? 200;
      setTimeout(() => response.writeHead(status).end(), this.answerDelayMs);
    });
  });

  private constructor() {}

  static async start(): Promise<NotificationReceiver> {
    const receiver = new NotificationReceiver();
    await new Promise<void>((resolve) => receiver.server.listen(0, '127.0.0.1', resolve));
    return receiver;
  }

  /** The webhook URL to configure: a path of its own, to check that the simulator keeps it. */
  get url(): string {
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}/webhooks/mercadopago`;
  }

  /** The next requests get these statuses, in order; later ones get 200 again. */
  answerNext(...statuses: number[]): void {
    this.queuedStatuses.push(...statuses);
  }

  /** Holds every answer for `ms` after the request arrived. */
  answerAfter(ms: number): void {
    this.answerDelayMs = ms;
  }

  /** Resolves once `count` notifications have arrived in all; rejects after a few seconds. */
  async waitFor(count: number): Promise<ReceivedNotification[]> {
    const deadline = Date.now() + WAIT_TIMEOUT_MS;
    while (this.received.length < count) {
      const remainingMs = deadline - Date.now();
      if (remainingMs <= 0) throw new Error(`expected ${count} notifications, got ${this.received.length}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, remainingMs);
        function done(): void {
          clearTimeout(timer);
          resolve();
        }
        this.waiters.add(done);
      });
    }
    return this.received.slice(0, count);
  }

  /** Forgets what arrived, the queued statuses and any answer delay. */
  clear(): void {
    this.received.length = 0;
    this.queuedStatuses.length = 0;
    this.answerDelayMs = 0;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private record(notification: ReceivedNotification): void {
    this.received.push(notification);
    for (const wake of this.waiters) wake();
    this.waiters.clear();
  }
}

/** Waits `ms`: for checking that nothing arrives in a while. */
export function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The receiver's own check, computed here from the documented manifest rather than with the simulator's code. */
export function verifies(notification: ReceivedNotification, secret: string, idCase: 'as_sent' | 'lower'): boolean {
  const { ts, v1 } = signatureParts(notification);
  const dataId = notification.query.get('data.id') ?? '';
  const id = idCase === 'lower' ? dataId.toLowerCase() : dataId;
  const expected = createHmac('sha256', secret)
    .update(`id:${id};request-id:${String(notification.headers['x-request-id'])};ts:${ts};`)
    .digest('hex');
  return v1 === expected;
}

export function signatureParts(notification: ReceivedNotification): { ts: string; v1: string } {
  const parts = Object.fromEntries(
    String(notification.headers['x-signature'])
      .split(',')
      .map((part) => part.split('=', 2) as [string, string]),
  );
  return { ts: parts.ts ?? '', v1: parts.v1 ?? '' };
}
