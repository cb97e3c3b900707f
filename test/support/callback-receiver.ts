import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface CallbackDelivery {
  headers: IncomingHttpHeaders;
  body: string;
  /** The status answered; null while a silent receiver holds the POST open. */
  answered: number | null;
}

/**
 * A checkout service's callback endpoint on loopback (docs/api.md, "Callbacks"). It answers 204,
 * refuses the next N deliveries with 503 (`refuseNext`), or, `silent`, accepts every POST and never
 * answers: a receiver that hangs, holding each attempt until its timeout.
 */
export class CallbackReceiver {
  readonly received: CallbackDelivery[] = [];
  private readonly held: ServerResponse[] = [];
  private refusals = 0;
  private server: Server | null = null;
  url = '';

  constructor(private readonly silent = false) {}

  refuseNext(count: number): void {
    this.refusals = count;
  }

  /** The POSTs a silent receiver holds open now (an attempt that timed out closed its own). */
  get open(): number {
    return this.openResponses().length;
  }

  /** A silent receiver answers the POSTs it holds now with `status` (and keeps holding later ones). */
  answerHeld(status: number): void {
    for (const response of this.openResponses()) response.writeHead(status).end();
  }

  private openResponses(): ServerResponse[] {
    return this.held.filter((response) => !response.writableEnded && !response.destroyed && response.socket?.destroyed !== true);
  }

  async listen(): Promise<void> {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        if (this.silent) {
          this.held.push(response);
          this.received.push({ headers: request.headers, body, answered: null });
          return;
        }
        const answered = this.refusals > 0 ? 503 : 204;
        if (this.refusals > 0) this.refusals -= 1;
        this.received.push({ headers: request.headers, body, answered });
        response.writeHead(answered).end();
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hooks/payments`;
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }
}

/** The events a receiver got about one key. */
export function about(receiver: CallbackReceiver, key: string): CallbackDelivery[] {
  return receiver.received.filter(({ body }) => (JSON.parse(body) as { idempotency_key: string }).idempotency_key === key);
}

/** The checkout service's own check (docs/api.md, "Callbacks"): HMAC-SHA256 of `<t>.<body>`, compared in constant time. */
export function verifiesWith(secret: string, { headers, body }: CallbackDelivery): boolean {
  const signature = String(headers['x-orchestrator-signature'] ?? '');
  const parts = Object.fromEntries(signature.split(',').map((part) => part.split('=') as [string, string]));
  if (parts.t === undefined || parts.v1 === undefined) return false;
  const expected = createHmac('sha256', secret).update(`${parts.t}.${body}`).digest();
  const given = Buffer.from(parts.v1, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected) && Math.abs(Date.now() / 1000 - Number(parts.t)) < 300;
}
