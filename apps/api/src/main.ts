import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { loadEnvFileIfPresent, runOrExplain } from '@app/config';
import { loadApiConfig } from './api-config';
import { ApiModule } from './api.module';
import { serveApiDocs } from './openapi/api-docs';

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
  await app.listen(config.PORT, config.HOST);
  new Logger('Api').log(`listening on http://${config.HOST}:${config.PORT}`);
});
