import { createServer, type Server } from 'node:http';

/**
 * Liveness and readiness for the worker, which serves no other HTTP: `/health/live` answers while
 * the process runs, `/health/ready` only while the worker polls its task queue.
 */
export async function startWorkerHealthServer(host: string, port: number, isPolling: () => boolean): Promise<Server> {
  const server = createServer((request, response) => {
    const probe = request.method === 'GET' ? request.url : undefined;
    const [status, body] =
      probe === '/health/live'
        ? [200, { status: 'ok' }]
        : probe === '/health/ready'
          ? isPolling()
            ? [200, { status: 'ok', worker: 'polling' }]
            : [503, { status: 'unavailable', worker: 'not polling' }]
          : [404, { status: 'not_found' }];
    response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, host, resolve));
  return server;
}
