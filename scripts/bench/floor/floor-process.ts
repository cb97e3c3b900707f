import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { Client } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { floorActivities } from './floor-activity';
import { FLOOR_TASK_QUEUE } from './floor-contract';
import { requiredSetting } from './floor-environment';
import { startOrAttach } from './floor-runs';

/** The one route the bench sends: the orchestrator's path, so the same load steps drive both. */
const PROCESS_PATH = /^\/v1\/orders\/([^/?]+)\/process$/;

/**
 * The Temporal engine's floor, the shape of issue 26's `temporal-eager` row: one process holds
 * the HTTP front (node:http, nothing else: no auth, no request fingerprint, no waiting limit, no
 * encryption, no search attributes, no logs or metrics per request), the Temporal client and the
 * worker, all on one native connection. That shared connection is what lets a start be eager
 * (docs/architecture.md, "The fast path"): the first workflow task comes back in the start's own
 * answer, and the upstream call runs in it as a local activity. So a new payment costs the fewest
 * server round trips any Temporal design makes: a start, a task completion, a wait for the result.
 */
async function main(): Promise<void> {
  const connection = await NativeConnection.connect({ address: requiredSetting('TEMPORAL_ADDRESS') });
  const worker = await Worker.create({
    connection,
    taskQueue: FLOOR_TASK_QUEUE,
    workflowsPath: require.resolve('./floor.workflow'),
    activities: floorActivities({ baseUrl: requiredSetting('UPSTREAM_BASE_URL'), accessToken: requiredSetting('UPSTREAM_ACCESS_TOKEN') }),
  });
  const client = new Client({ connection });
  const server = createServer((request, response) => void answer(client, request, response));
  const host = requiredSetting('HOST');
  const port = Number(requiredSetting('FLOOR_PORT'));
  server.listen(port, host, () => console.log(`floor listening on ${host}:${port}`));
  try {
    // The SDK stops the worker on SIGTERM; the front then closes, so the process exits.
    await worker.run();
  } finally {
    server.close();
    server.closeAllConnections();
    await connection.close();
  }
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
