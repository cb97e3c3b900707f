import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { IncomingMessage } from 'node:http';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { json, request as expressRequest } from 'express';
import { loadEnvFileIfPresent, runOrExplain } from '@app/config';
import { JsonLogger, OBSERVABILITY_SECTION, startTracing } from '@app/observability';
import { loadApiConfig } from './api-config';
import { apiConfigSections, LISTENERS_SECTION, OPERATOR_SECTION, RUNS_SECTION, TEMPORAL_SECTION } from './api-config-sections';
import { ApiModule } from './api.module';
import { CODEC_PATH } from './operator/codec/codec-dialect';
import { closeOnSignals, prepareHttpApp } from './http/http-server';
import { refuseLossyJson } from './http/problems/lossy-json.middleware';
import { ApiMetrics } from './http/telemetry/api-metrics';
import { METRICS_PATH } from './operator/metrics.controller';
import { serveApiDocs } from './openapi/api-docs';
import { OperatorModule } from './operator/operator.module';
import { expressPostRoutes, ReplayFront } from './payments/replay-front';
import { isWebhookPath } from './webhooks/mercadopago-webhook.controller';
import { HostedWorkerModule } from './worker/hosted-worker.module';
import { newHostedWorkerMetrics } from './worker/worker-parts.module';

/** Orders and payments are a few kilobytes; anything far larger is a mistake or an attack. */
const REQUEST_BODY_LIMIT = '100kb';

/*
 * The body parser also runs in the replay front (replay-front.ts) on requests Express has not seen:
 * what it asks of a request, it asks through Express's own request methods (`req.path`, `req.is`),
 * which read only the url and headers, so either path judges a body the same.
 */
const pathOf = (request: IncomingMessage) => Reflect.get<typeof expressRequest, 'path'>(expressRequest, 'path', request);
const isJson = (request: IncomingMessage) => expressRequest.is.call(request as typeof expressRequest, 'application/json') !== false;
/**
 * JSON between systems is UTF-8 (RFC 8259 §8.1), and the number check reads the bytes as UTF-8;
 * a body declared in another charset is left unparsed, so it gets 415 like any other type.
 */
const charsetOf = (request: IncomingMessage) => /;\s*charset\s*=\s*"?([^";\s]*)/i.exec(request.headers['content-type'] ?? '')?.[1]?.toLowerCase();
const isUtf8 = (request: IncomingMessage) => [undefined, 'utf-8'].includes(charsetOf(request));
/** Each JSON body's bytes stay as request.rawBody, for refuseLossyJson (as Nest's `rawBody` option kept them). */
const keepRawBody = (request: IncomingMessage & { rawBody?: Buffer }, _response: unknown, bytes: Buffer) => {
  request.rawBody = bytes;
};
// JSON only: a body the parser does not read is refused (415), never mistaken for no body. The
// operator app has no body parser: its routes read their bodies once the request may go on, as
// the webhook does once the notification's signature holds.
const jsonBody = json({ limit: REQUEST_BODY_LIMIT, type: (request) => !isWebhookPath(pathOf(request)) && isJson(request) && isUtf8(request), verify: keepRawBody });

runOrExplain(async () => {
  loadEnvFileIfPresent();
  const sections = apiConfigSections(loadApiConfig());
  const { logLevel, otlpEndpoint } = sections[OBSERVABILITY_SECTION];
  const listeners = sections[LISTENERS_SECTION];
  // Before Nest and the Temporal client load, so both find the registered tracer provider.
  const tracing = startTracing('payment-api', otlpEndpoint);
  const logger = new JsonLogger('api', logLevel);
  if (sections[TEMPORAL_SECTION].hostsWorker) await HostedWorkerModule.installRuntime(logger);
  // One registry for both apps: the operator port serves what the checkout port counts, and what
  // the hosted worker's attempts count (its process metrics are already in ApiMetrics).
  const metrics = new ApiMetrics();
  const hostedWorkerMetrics = newHostedWorkerMetrics();
  // Two apps, two listeners: checkout services reach only the payment API; the codec server and
  // /metrics are routes of the operator app alone, on a port that need not be exposed to them.
  const checkout = await NestFactory.create<NestExpressApplication>(ApiModule.withSections(sections, tracing, metrics, hostedWorkerMetrics), { bodyParser: false, logger });
  const operator = await NestFactory.create<NestExpressApplication>(OperatorModule.withSections(sections, metrics, hostedWorkerMetrics), { bodyParser: false, logger });
  prepareHttpApp(checkout, listeners);
  prepareHttpApp(operator, listeners);
  checkout.use(jsonBody);
  checkout.use(refuseLossyJson);
  serveApiDocs(checkout);
  // Routes are registered on init; the front checks its templates against them.
  await checkout.init();
  // Remembered answers are served before Express, through the same middlewares (docs/architecture.md).
  checkout.get(ReplayFront).install(checkout.getHttpServer(), [jsonBody, refuseLossyJson], expressPostRoutes(checkout.getHttpAdapter().getInstance()));
  // The operator app first, then the checkout app and its hosted worker; the traces last.
  closeOnSignals([operator, checkout], tracing, sections[RUNS_SECTION].waitForResultMs);
  await checkout.listen(listeners.port, listeners.host);
  await operator.listen(listeners.operatorPort, listeners.host);
  const log = new Logger('Api');
  log.log(`listening on http://${listeners.host}:${listeners.port}; operator port http://${listeners.host}:${listeners.operatorPort}${METRICS_PATH}`);
  log.log(sections[OPERATOR_SECTION].credentials === null ? 'codec server off (OPERATOR_TOKENS unset)' : `codec server on the operator port, ${CODEC_PATH}`);
});
