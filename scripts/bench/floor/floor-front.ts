import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { Client, Connection } from '@temporalio/client';
import { requiredSetting } from './floor-environment';
import { startOrAttach } from './floor-runs';

/** The one route the bench sends: the orchestrator's path, so the same load steps drive both. */
const PROCESS_PATH = /^\/v1\/orders\/([^/?]+)\/process$/;

/**
 * The plain-Temporal floor's HTTP front: node:http and a Temporal client, nothing else (no auth,
 * no request fingerprint, no waiting limit, no encryption, no logs or metrics per request). It
 * runs in its own process, as the orchestrator's API does, so its CPU is accounted apart and it
 * does not share an event loop with the load generator.
 */
async function main(): Promise<void> {
  const client = new Client({ connection: await Connection.connect({ address: requiredSetting('TEMPORAL_ADDRESS') }) });
  const server = createServer((request, response) => void answer(client, request, response));
  const host = requiredSetting('HOST');
  const port = Number(requiredSetting('FLOOR_PORT'));
  server.listen(port, host, () => console.log(`floor front listening on ${host}:${port}`));
  // No SIGTERM handler: the front holds nothing durable (runs live in Temporal), so the default exit is right.
}

async function answer(client: Client, request: IncomingMessage, response: ServerResponse): Promise<void> {
  request.resume();
  const orderId = request.method === 'POST' ? PROCESS_PATH.exec(request.url ?? '')?.[1] : undefined;
  const idempotencyKey = request.headers['x-idempotency-key'];
  if (orderId === undefined) {
    response.writeHead(404).end();
    return;
  }
  if (typeof idempotencyKey !== 'string' || idempotencyKey === '') {
    response.writeHead(400).end('X-Idempotency-Key is required');
    return;
  }
  try {
    const { answer, replayed } = await startOrAttach(client, { orderId: decodeURIComponent(orderId), idempotencyKey });
    // The orchestrator's replay header, so the bench counts the floor's replays as it counts the orchestrator's.
    response.writeHead(answer.status, { 'Content-Type': 'application/json', ...(replayed ? { 'Idempotent-Replayed': 'true' } : {}) }).end(answer.body);
  } catch (error) {
    response.writeHead(500).end(error instanceof Error ? error.message : String(error));
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
