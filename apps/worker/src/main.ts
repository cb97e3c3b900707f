import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { loadEnvFileIfPresent, runOrExplain } from '@app/config';
import { JsonLogger, OBSERVABILITY_SECTION, startTracing } from '@app/observability';
import { installTemporalRuntime, WorkerMetrics } from '@app/payment-worker';
import { PaymentWorker } from './payment-worker';
import { loadWorkerConfig } from './worker-config';
import { HEALTH_SECTION, workerConfigSections } from './worker-config-sections';
import { WorkerModule } from './worker.module';

runOrExplain(async () => {
  loadEnvFileIfPresent();
  const sections = workerConfigSections(loadWorkerConfig());
  const { logLevel, otlpEndpoint } = sections[OBSERVABILITY_SECTION];
  const logger = new JsonLogger('worker', logLevel);
  // Core metrics are only worth collecting when /metrics (on the health port) can serve them.
  const coreMetricsUrl = await installTemporalRuntime(logger, sections[HEALTH_SECTION].port !== 0);
  const tracing = startTracing('payment-worker', otlpEndpoint);
  const app = await NestFactory.createApplicationContext(WorkerModule.withSections(sections, new WorkerMetrics(coreMetricsUrl), tracing), { logger });
  try {
    await app.get(PaymentWorker).run();
  } finally {
    await app.close();
    await tracing.shutdown();
  }
});
