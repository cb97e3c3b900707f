import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { loadEnvFileIfPresent, runOrExplain } from '@app/config';
import { loadApiConfig } from './api-config';
import { ApiModule } from './api.module';
import { serveApiDocs } from './openapi/api-docs';
import { answerClientErrorsWithJson } from './http/client-errors';

/** Orders and payments are a few kilobytes; anything far larger is a mistake or an attack. */
const REQUEST_BODY_LIMIT = '100kb';

runOrExplain(async () => {
  loadEnvFileIfPresent();
  const config = loadApiConfig();
  // JSON only: a body the parser does not read is refused (415), never mistaken for no body.
  const app = await NestFactory.create<NestExpressApplication>(ApiModule.withConfig(config), { bodyParser: false });
  app.useBodyParser('json', { limit: REQUEST_BODY_LIMIT });
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
  new Logger('Api').log(`listening on http://${config.HOST}:${config.PORT}`);
});
