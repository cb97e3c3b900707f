import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Request } from 'express';
import { loadEnvFileIfPresent, runOrExplain } from '@app/config';
import { JsonLogger, startTracing } from '@app/observability';
import { loadApiConfig, operatorCredentials } from './api-config';
import { ApiModule } from './api.module';
import { CODEC_PATH } from './codec/codec-dialect';
import { closeOnSignals, prepareHttpApp } from './http/http-server';
import { ApiMetrics } from './observability/api-metrics';
import { METRICS_PATH } from './observability/metrics.controller';
import { serveApiDocs } from './openapi/api-docs';
import { OperatorModule } from './operator/operator.module';

/** Orders and payments are a few kilobytes; anything far larger is a mistake or an attack. */
const REQUEST_BODY_LIMIT = '100kb';

const isJson = (request: Request) => request.is('application/json') !== false;

runOrExplain(async () => {
  loadEnvFileIfPresent();
  const config = loadApiConfig();
  // Before Nest and the Temporal client load, so both find the registered tracer provider.
  const tracing = startTracing('payment-api', config.OTEL_EXPORTER_OTLP_ENDPOINT);
  const logger = new JsonLogger('api', config.LOG_LEVEL);
  // One registry for both apps: the operator port serves what the checkout port counts.
  const metrics = new ApiMetrics();
  // Two apps, two listeners: checkout services reach only the payment API; the codec server and
  // /metrics are routes of the operator app alone, on a port that need not be exposed to them.
  const checkout = await NestFactory.create<NestExpressApplication>(ApiModule.withConfig(config, tracing, metrics), { bodyParser: false, logger });
  const operator = await NestFactory.create<NestExpressApplication>(OperatorModule.withConfig(config, metrics), { bodyParser: false, logger });
  prepareHttpApp(checkout, config);
  prepareHttpApp(operator, config);
  // JSON only: a body the parser does not read is refused (415), never mistaken for no body. The
  // operator app has no body parser: its routes read their bodies once the request may go on.
  checkout.useBodyParser('json', { limit: REQUEST_BODY_LIMIT, type: isJson });
  serveApiDocs(checkout);
  // The operator app first: the checkout app's shutdown also flushes the traces.
  closeOnSignals([operator, checkout]);
  await checkout.listen(config.PORT, config.HOST);
  await operator.listen(config.OPERATOR_PORT, config.HOST);
  const log = new Logger('Api');
  log.log(`listening on http://${config.HOST}:${config.PORT}; operator port http://${config.HOST}:${config.OPERATOR_PORT}${METRICS_PATH}`);
  log.log(operatorCredentials(config) === null ? 'codec server off (OPERATOR_TOKENS unset)' : `codec server on the operator port, ${CODEC_PATH}`);
});
