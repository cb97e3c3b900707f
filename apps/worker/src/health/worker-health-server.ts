import { createServer, type ServerResponse, type Server } from 'node:http';

export interface WorkerProbes {
  isPolling(): Promise<boolean>;
  /** The Prometheus text page. */
  metrics(): Promise<string>;
}

/** Prometheus' text exposition format, as prom-client and Temporal Core both write it. */
const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

function sendJson(response: ServerResponse, status: number, body: object): void {
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

/**
 * The worker's only HTTP: `/health/live` answers while the process runs, `/health/ready` only
 * while the worker polls its task queue and Temporal answers, `/metrics` for Prometheus. It listens on an internal
 * port (never the API's), so /metrics needs no token here.
 */
export async function startWorkerHealthServer(host: string, port: number, probes: WorkerProbes): Promise<Server> {
  const server = createServer((request, response) => {
    const path = request.method === 'GET' ? request.url : undefined;
    if (path === '/metrics') {
      probes.metrics().then(
        (text) => response.writeHead(200, { 'content-type': PROMETHEUS_CONTENT_TYPE }).end(text),
        () => sendJson(response, 500, { status: 'metrics_unavailable' }),
      );
    } else if (path === '/health/live') {
      sendJson(response, 200, { status: 'ok' });
    } else if (path === '/health/ready') {
      probes.isPolling().then(
        (polling) => {
          if (polling) sendJson(response, 200, { status: 'ok', worker: 'polling' });
          else sendJson(response, 503, { status: 'unavailable', worker: 'not polling' });
        },
        () => sendJson(response, 503, { status: 'unavailable', worker: 'not polling' }),
      );
    } else {
      sendJson(response, 404, { status: 'not_found' });
    }
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, host, resolve));
  return server;
}
