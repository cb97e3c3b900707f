import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Request } from 'express';
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
import { isWebhookPath } from './webhooks/mercadopago-webhook.controller';
import { HostedWorkerModule } from './worker/hosted-worker.module';
import { newHostedWorkerMetrics } from './worker/worker-parts.module';

/** Orders and payments are a few kilobytes; anything far larger is a mistake or an attack. */
const REQUEST_BODY_LIMIT = '100kb';

const isJson = (request: Request) => request.is('application/json') !== false;
/**
 * JSON between systems is UTF-8 (RFC 8259 §8.1), and the number check reads the bytes as UTF-8;
 * a body declared in another charset is left unparsed, so it gets 415 like any other type.
 */
const charsetOf = (request: Request) => /;\s*charset\s*=\s*"?([^";\s]*)/i.exec(request.get('content-type') ?? '')?.[1]?.toLowerCase();
const isUtf8 = (request: Request) => [undefined, 'utf-8'].includes(charsetOf(request));

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
  // rawBody: each JSON body's bytes stay as request.rawBody, for refuseLossyJson.
  const checkout = await NestFactory.create<NestExpressApplication>(ApiModule.withSections(sections, tracing, metrics, hostedWorkerMetrics), {
    bodyParser: false,
    rawBody: true,
    logger,
  });
  const operator = await NestFactory.create<NestExpressApplication>(OperatorModule.withSections(sections, metrics, hostedWorkerMetrics), { bodyParser: false, logger });
  prepareHttpApp(checkout, listeners);
  prepareHttpApp(operator, listeners);
  // JSON only: a body the parser does not read is refused (415), never mistaken for no body. The
  // operator app has no body parser: its routes read their bodies once the request may go on, as
  // the webhook does once the notification's signature holds.
  checkout.useBodyParser('json', { limit: REQUEST_BODY_LIMIT, type: (request: Request) => !isWebhookPath(request.path) && isJson(request) && isUtf8(request) });
  checkout.use(refuseLossyJson);
  serveApiDocs(checkout);
  // The operator app first, then the checkout app and its hosted worker; the traces last.
  closeOnSignals([operator, checkout], tracing, sections[RUNS_SECTION].waitForResultMs);
  await checkout.listen(listeners.port, listeners.host);
  await operator.listen(listeners.operatorPort, listeners.host);
  const log = new Logger('Api');
  log.log(`listening on http://${listeners.host}:${listeners.port}; operator port http://${listeners.host}:${listeners.operatorPort}${METRICS_PATH}`);
  log.log(sections[OPERATOR_SECTION].credentials === null ? 'codec server off (OPERATOR_TOKENS unset)' : `codec server on the operator port, ${CODEC_PATH}`);
});
