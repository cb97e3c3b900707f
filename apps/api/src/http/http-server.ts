import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { Logger } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Tracing } from '@app/observability';
import type { ListenersSection } from '../api-config-sections';
import { RequestTelemetry } from './telemetry/request-telemetry';
import { answerClientErrorsWithJson } from './problems/client-errors';
import { refuseMissingHost, replaceUndecodableSegments } from './request-target';

/**
 * What both of the API's listeners (checkout and operator) share, applied before anything else
 * is registered: telemetry first, ahead of any body parser, so oversized or malformed bodies are
 * counted too; requests without a Host refused, and undecodable path segments left for the route
 * to refuse (request-target.ts); no framework fingerprints; slow clients cut off; Node's own
 * errors as JSON; idle kept-alive connections left to the proxy in front to close.
 */
export function prepareHttpApp(app: NestExpressApplication, listeners: ListenersSection): void {
  app.use(app.get(RequestTelemetry).handle);
  app.use(refuseMissingHost);
  app.use(replaceUndecodableSegments);
  app.disable('x-powered-by');
  app.disable('etag');
  const server = app.getHttpServer();
  // Slowloris-style clients hold a connection open by trickling headers or a body; cut them off.
  server.headersTimeout = listeners.headersTimeoutMs;
  server.requestTimeout = listeners.requestTimeoutMs;
  // Node checks those deadlines every 30 s by default, letting a slow client stay far longer; it reads
  // this interval when the server starts listening, and the type definitions do not declare it.
  Object.assign(server, { connectionsCheckingInterval: Math.min(1_000, listeners.headersTimeoutMs) });
  // Idle kept-alive connections stay open longer than the proxy in front keeps them, so the proxy
  // closes them, never the API under its next request (api-config.ts, HTTP_KEEP_ALIVE_TIMEOUT_MS).
  // Node reads it after each answer (docs, server.keepAliveTimeout); the deadlines above bound
  // requests, not the idle time between them (test/hostile/hostile-input.e2e-spec.ts).
  server.keepAliveTimeout = listeners.keepAliveTimeoutMs;
  // Node answers a missing Host with a bare 400 of its own; refuseMissingHost answers it instead.
  // Node reads this flag on each request; the type definitions do not declare it either.
  Object.assign(server, { requireHostHeader: false });
  answerClientErrorsWithJson(server);
}

/** How long the last spans may take to reach the collector at shutdown; past it they are dropped. */
const TRACING_FLUSH_BUDGET_MS = 3_000;

/**
 * Stops the process on SIGINT or SIGTERM in a defined order, each step bounded, so the whole fits
 * the grace period docs/operations.md ("Stopping the API") derives: each app stops listening and
 * answers the requests in flight (cut after `httpDrainMs`, the longest a payment request waits),
 * the operator app first; closing the checkout app then drains its hosted worker (its shutdown
 * hook, which Nest runs after the listener has closed); the last spans are flushed after all of
 * that, so the drain's spans are sent too. Then the signal ends the process. Nest's own shutdown
 * hooks would not do: each app re-raises the signal once it has closed, and the first to finish
 * would kill the process under the other.
 */
export function closeOnSignals(apps: readonly NestExpressApplication[], tracing: Tracing, httpDrainMs: number): void {
  const closers = apps.map((app) => ({ app, markLastAnswers: closeConnectionsAfterAnswers(app.getHttpServer()) }));
  const close = async (signal: NodeJS.Signals) => {
    // Connections still open then (a slow upload, a client holding its connection) are cut.
    const cut = setTimeout(() => {
      for (const app of apps) app.getHttpServer().closeAllConnections();
    }, httpDrainMs);
    try {
      for (const { app, markLastAnswers } of closers) {
        markLastAnswers();
        await app.close();
      }
    } finally {
      clearTimeout(cut);
      await withinBudget(tracing.shutdown(), TRACING_FLUSH_BUDGET_MS);
      process.kill(process.pid, signal);
    }
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void close(signal));
}

/**
 * Follows a listener's answers so that, once the returned function is called (as its app starts
 * closing), each answer not yet begun says `Connection: close`: the requests in flight then and
 * those that arrive on kept-alive connections during the drain. Node then closes each connection
 * after its answer. Its own `server.close()` closes only the connections idle at that moment and
 * (Node 20) still answers `keep-alive` on the others, which would then stay open for the whole
 * keep-alive timeout, longer than a proxy's (HTTP_KEEP_ALIVE_TIMEOUT_MS), inviting a next request
 * the API is about to drop. The cost while serving: a set entry per connection, a weak one per request.
 */
function closeConnectionsAfterAnswers(server: Server): () => void {
  const connections = new Set<Socket>();
  const answerOf = new WeakMap<Socket, ServerResponse>();
  let closing = false;
  server.on('connection', (socket: Socket) => {
    connections.add(socket);
    socket.once('close', () => connections.delete(socket));
  });
  server.prependListener('request', (request: IncomingMessage, response: ServerResponse) => {
    if (closing) response.setHeader('Connection', 'close');
    else answerOf.set(request.socket, response);
  });
  return () => {
    closing = true;
    for (const socket of connections) {
      const response = answerOf.get(socket);
      if (response !== undefined && !response.headersSent && !response.writableEnded) response.setHeader('Connection', 'close');
    }
  };
}

/** Settles when the flush does or after `ms`, whichever comes first; either way the process stops, saying what was lost. */
async function withinBudget(flush: Promise<void>, ms: number): Promise<void> {
  const log = new Logger('Api');
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<void>((resolve) => (timer = setTimeout(() => resolve(log.warn(`the last spans were not sent within ${ms} ms; stopping without them`)), ms)));
  const flushed = flush.catch((error: unknown) => log.warn(`sending the last spans failed: ${error instanceof Error ? error.message : String(error)}`));
  await Promise.race([flushed, late]);
  clearTimeout(timer);
}
