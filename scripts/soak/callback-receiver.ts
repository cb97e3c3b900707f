import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { callbackSignature } from '../../libs/payment-worker/src/callback-signature';
import { LOOPBACK } from '../lib/stack/private-environment';

/** One in this many deliveries is refused with 503, so that callback retries run through the soak too. */
const REFUSE_ONE_IN = 10;
/** Past this a body is not read further: no callback the orchestrator sends comes near it. */
const MAX_BODY_BYTES = 1024 * 1024;

/**
 * A checkout's callback endpoint on loopback (docs/api.md, "Callbacks"): checks each delivery's
 * signature with the client's secret, refuses one in ten with 503, takes the others with 204, and
 * counts what it took by idempotency key. It keeps counts only, so it stays small however long it runs.
 */
export class CallbackReceiver {
  /** Deliveries taken (2xx), by the event's idempotency key. */
  readonly delivered = new Map<string, number>();
  refused = 0;
  /** Deliveries whose signature did not verify, or whose body was not an event: each one a defect. */
  readonly bad: string[] = [];
  private server: Server | null = null;
  private received = 0;
  url = '';

  constructor(private readonly secret: string) {}

  async listen(): Promise<void> {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      let size = 0;
      request.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size <= MAX_BODY_BYTES) chunks.push(chunk);
      });
      request.on('end', () => {
        this.received += 1;
        if (this.received % REFUSE_ONE_IN === 0) {
          this.refused += 1;
          response.writeHead(503).end();
          return;
        }
        const body = Buffer.concat(chunks).toString('utf8');
        const key = this.verifiedKey(String(request.headers['x-orchestrator-signature'] ?? ''), body);
        if (key === null) {
          if (this.bad.length < 20) this.bad.push(body.slice(0, 200));
          response.writeHead(400).end();
          return;
        }
        this.delivered.set(key, (this.delivered.get(key) ?? 0) + 1);
        response.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, LOOPBACK, resolve));
    this.url = `http://${LOOPBACK}:${(this.server.address() as AddressInfo).port}/hooks/payments`;
  }

  async close(): Promise<void> {
    await new Promise((resolve) => this.server?.close(resolve));
  }

  /** The event's idempotency key when the signature is the client's over this body, else null. */
  private verifiedKey(signature: string, body: string): string | null {
    const timestamp = /^t=(\d+),/.exec(signature)?.[1];
    if (timestamp === undefined || callbackSignature(this.secret, Number(timestamp), body) !== signature) return null;
    try {
      const key = (JSON.parse(body) as { idempotency_key?: unknown }).idempotency_key;
      return typeof key === 'string' ? key : null;
    } catch {
      return null;
    }
  }
}
