import type { NestExpressApplication } from '@nestjs/platform-express';
import type { ApiConfig } from '../api-config';
import { RequestTelemetry } from './telemetry/request-telemetry';
import { answerClientErrorsWithJson } from './problems/client-errors';
import { refuseMissingHost, replaceUndecodableSegments } from './request-target';

/**
 * What both of the API's listeners (checkout and operator) share, applied before anything else
 * is registered: telemetry first, ahead of any body parser, so oversized or malformed bodies are
 * counted too; requests without a Host refused, and undecodable path segments left for the route
 * to refuse (request-target.ts); no framework fingerprints; slow clients cut off; Node's own
 * errors as JSON.
 */
export function prepareHttpApp(app: NestExpressApplication, config: ApiConfig): void {
  app.use(app.get(RequestTelemetry).handle);
  app.use(refuseMissingHost);
  app.use(replaceUndecodableSegments);
  app.disable('x-powered-by');
  app.disable('etag');
  const server = app.getHttpServer();
  // Slowloris-style clients hold a connection open by trickling headers or a body; cut them off.
  server.headersTimeout = config.HTTP_HEADERS_TIMEOUT_MS;
  server.requestTimeout = config.HTTP_REQUEST_TIMEOUT_MS;
  // Node checks those deadlines every 30 s by default, letting a slow client stay far longer; it reads
  // this interval when the server starts listening, and the type definitions do not declare it.
  Object.assign(server, { connectionsCheckingInterval: Math.min(1_000, config.HTTP_HEADERS_TIMEOUT_MS) });
  // Node answers a missing Host with a bare 400 of its own; refuseMissingHost answers it instead.
  // Node reads this flag on each request; the type definitions do not declare it either.
  Object.assign(server, { requireHostHeader: false });
  answerClientErrorsWithJson(server);
}

/**
 * Closes the apps in order on SIGINT or SIGTERM, then lets the signal end the process. Nest's own
 * shutdown hooks would not do for two apps: each re-raises the signal once it has closed, and the
 * first to finish would kill the process under the other.
 */
export function closeOnSignals(apps: readonly NestExpressApplication[]): void {
  const close = async (signal: NodeJS.Signals) => {
    try {
      for (const app of apps) await app.close();
    } finally {
      process.kill(process.pid, signal);
    }
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void close(signal));
}
