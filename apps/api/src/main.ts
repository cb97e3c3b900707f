import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Request } from 'express';
import { loadEnvFileIfPresent, runOrExplain } from '@app/config';
import { JsonLogger, startTracing } from '@app/observability';
import { loadApiConfig } from './api-config';
import { ApiModule } from './api.module';
import { RequestTelemetry } from './observability/request-telemetry';
import { CODEC_PATH } from './codec/codec-dialect';
import { serveApiDocs } from './openapi/api-docs';
import { answerClientErrorsWithJson } from './http/client-errors';

/** Orders and payments are a few kilobytes; anything far larger is a mistake or an attack. */
const REQUEST_BODY_LIMIT = '100kb';

const isCodecRequest = (request: Request) => request.path.toLowerCase().startsWith(`${CODEC_PATH}/`);
const isJson = (request: Request) => request.is('application/json') !== false;

runOrExplain(async () => {
  loadEnvFileIfPresent();
  const config = loadApiConfig();
  // Before Nest and the Temporal client load, so both find the registered tracer provider.
  const tracing = startTracing('payment-api', config.OTEL_EXPORTER_OTLP_ENDPOINT);
  // JSON only: a body the parser does not read is refused (415), never mistaken for no body.
  const app = await NestFactory.create<NestExpressApplication>(ApiModule.withConfig(config, tracing), {
    bodyParser: false,
    logger: new JsonLogger('api', config.LOG_LEVEL),
  });
  // First, ahead of the body parsers, so oversized or malformed bodies are counted too.
  app.use(app.get(RequestTelemetry).handle);
  // Codec bodies are left unread here: the codec reads them once the operator is authenticated.
  app.useBodyParser('json', { limit: REQUEST_BODY_LIMIT, type: (request: Request) => isJson(request) && !isCodecRequest(request) });
  app.disable('x-powered-by');
  app.disable('etag');
  app.enableShutdownHooks();
  serveApiDocs(app);
  const server = app.getHttpServer();
  // Slowloris-style clients hold a connection open by trickling headers or a body; cut them off.
  server.headersTimeout = config.HTTP_HEADERS_TIMEOUT_MS;
  server.requestTimeout = config.HTTP_REQUEST_TIMEOUT_MS;
  // Node checks those deadlines every 30 s by default, letting a slow client stay far longer; it reads
  // this interval when the server starts listening, and the type definitions do not declare it.
  Object.assign(server, { connectionsCheckingInterval: Math.min(1_000, config.HTTP_HEADERS_TIMEOUT_MS) });
  answerClientErrorsWithJson(server);
  await app.listen(config.PORT, config.HOST);
  const logger = new Logger('Api');
  logger.log(`listening on http://${config.HOST}:${config.PORT}`);
  logger.log(config.OPERATOR_TOKENS === undefined ? 'codec server off (OPERATOR_TOKENS unset)' : `codec server on ${CODEC_PATH}`);
});
