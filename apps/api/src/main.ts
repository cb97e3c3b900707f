import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Request } from 'express';
import { loadEnvFileIfPresent, runOrExplain } from '@app/config';
import { JsonLogger, startTracing } from '@app/observability';
import { installTemporalRuntime } from '@app/payment-worker';
import { loadApiConfig } from './api-config';
import { ApiModule } from './api.module';
import { RequestTelemetry } from './observability/request-telemetry';
import { CODEC_PATH } from './codec/codec-dialect';
import { serveApiDocs } from './openapi/api-docs';
import { answerClientErrorsWithJson } from './http/client-errors';
import { refuseLossyJson } from './http/lossy-json.middleware';

/** Orders and payments are a few kilobytes; anything far larger is a mistake or an attack. */
const REQUEST_BODY_LIMIT = '100kb';
/**
 * Codec bodies carry whole payloads, base64 and encrypted: a run's input holds a request body of up
 * to REQUEST_BODY_LIMIT, and Temporal accepts payloads of up to 2 MB.
 */
const CODEC_BODY_LIMIT = '3mb';

const isCodecRequest = (request: Request) => request.path.toLowerCase().startsWith(`${CODEC_PATH}/`);
const isJson = (request: Request) => request.is('application/json') !== false;
/**
 * JSON between systems is UTF-8 (RFC 8259 §8.1), and the number check reads the bytes as UTF-8;
 * a body declared in another charset is left unparsed, so it gets 415 like any other type.
 */
const charsetOf = (request: Request) => /;\s*charset\s*=\s*"?([^";\s]*)/i.exec(request.get('content-type') ?? '')?.[1]?.toLowerCase();
const isUtf8 = (request: Request) => [undefined, 'utf-8'].includes(charsetOf(request));

runOrExplain(async () => {
  loadEnvFileIfPresent();
  const config = loadApiConfig();
  // Before Nest and the Temporal client load, so both find the registered tracer provider.
  const tracing = startTracing('payment-api', config.OTEL_EXPORTER_OTLP_ENDPOINT);
  // JSON only: a body the parser does not read is refused (415), never mistaken for no body.
  const logger = new JsonLogger('api', config.LOG_LEVEL);
  // The hosted worker's Temporal runtime logs as JSON too; Nest, not the runtime, handles signals.
  if (config.API_HOSTS_WORKER) await installTemporalRuntime(logger, false, []);
  const app = await NestFactory.create<NestExpressApplication>(ApiModule.withConfig(config, tracing), {
    bodyParser: false,
    // Keeps each JSON body's bytes as request.rawBody, for refuseLossyJson.
    rawBody: true,
    logger,
  });
  // First, ahead of the body parsers, so oversized or malformed bodies are counted too.
  app.use(app.get(RequestTelemetry).handle);
  app.useBodyParser('json', { limit: REQUEST_BODY_LIMIT, type: (request: Request) => isJson(request) && isUtf8(request) && !isCodecRequest(request) });
  app.useBodyParser('json', { limit: CODEC_BODY_LIMIT, type: (request: Request) => isJson(request) && isUtf8(request) && isCodecRequest(request) });
  app.use(refuseLossyJson);
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
  const apiLogger = new Logger('Api');
  apiLogger.log(`listening on http://${config.HOST}:${config.PORT}`);
  apiLogger.log(config.OPERATOR_TOKENS === undefined ? 'codec server off (OPERATOR_TOKENS unset)' : `codec server on ${CODEC_PATH}`);
});
