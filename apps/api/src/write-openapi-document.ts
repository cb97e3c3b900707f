import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { runOrExplain } from '@app/config';
import { startTracing } from '@app/observability';
import { loadApiConfig } from './api-config';
import { apiConfigSections } from './api-config-sections';
import { ApiModule } from './api.module';
import { ApiMetrics } from './http/telemetry/api-metrics';
import { newHostedWorkerMetrics } from './worker/worker-parts.module';
import { buildOpenApiDocument, OPENAPI_DOCUMENT_FILE, openApiDocumentText } from './openapi/api-docs';

/**
 * `npm run openapi`: writes docs/openapi.json from the checkout app's modules, built as main.ts
 * builds them but in Nest's preview mode, which reads the controllers' decorators without creating
 * a provider: nothing connects to Temporal or listens, so no stack is needed. The document depends
 * on the routes' decorators only, never on the config, which is why placeholder tokens do
 * (the drift test compares the file with what a configured API serves).
 */
runOrExplain(async () => {
  const placeholder = 'a-placeholder-nothing-is-sent-with';
  const config = loadApiConfig({ API_TOKENS: `openapi-document:${placeholder}`, UPSTREAM_ACCESS_TOKEN: placeholder });
  const module = ApiModule.withSections(apiConfigSections(config), startTracing('payment-api', undefined), new ApiMetrics(), newHostedWorkerMetrics());
  const app = await NestFactory.create<NestExpressApplication>(module, { preview: true, logger: false });
  // npm runs scripts from the repository root, where the file's path starts.
  const file = resolve(OPENAPI_DOCUMENT_FILE);
  writeFileSync(file, openApiDocumentText(buildOpenApiDocument(app)));
  await app.close();
  console.log(`wrote ${file}`);
});
