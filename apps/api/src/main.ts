import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { loadEnvFileIfPresent, runOrExplain } from '@app/config';
import { JsonLogger, startTracing } from '@app/observability';
import { loadApiConfig } from './api-config';
import { ApiModule } from './api.module';
import { RequestTelemetry } from './observability/request-telemetry';

/** Orders and payments are a few kilobytes; anything far larger is a mistake or an attack. */
const REQUEST_BODY_LIMIT = '100kb';

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
  // First, ahead of the body parser Nest adds at start-up, so oversized or malformed bodies are counted too.
  app.use(app.get(RequestTelemetry).handle);
  app.useBodyParser('json', { limit: REQUEST_BODY_LIMIT });
  app.disable('x-powered-by');
  app.disable('etag');
  app.enableShutdownHooks();
  await app.listen(config.PORT, config.HOST);
  new Logger('Api').log(`listening on http://${config.HOST}:${config.PORT}`);
});
