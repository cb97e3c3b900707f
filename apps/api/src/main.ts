import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { loadEnvFileIfPresent, runOrExplain } from '@app/config';
import { loadApiConfig } from './api-config';
import { ApiModule } from './api.module';

runOrExplain(async () => {
  loadEnvFileIfPresent();
  const config = loadApiConfig();
  const app = await NestFactory.create<NestExpressApplication>(ApiModule.withConfig(config));
  app.disable('x-powered-by');
  app.disable('etag');
  app.enableShutdownHooks();
  await app.listen(config.PORT, config.HOST);
  new Logger('Api').log(`listening on http://${config.HOST}:${config.PORT}`);
});
