import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { loadEnvFileIfPresent, runOrExplain } from '@app/config';
import { JsonLogger, startTracing } from '@app/observability';
import { installTemporalRuntime, WorkerMetrics } from '@app/payment-worker';
import { PaymentWorker } from './payment-worker';
import { loadWorkerConfig } from './worker-config';
import { WorkerModule } from './worker.module';

runOrExplain(async () => {
  loadEnvFileIfPresent();
  const config = loadWorkerConfig();
  const logger = new JsonLogger('worker', config.LOG_LEVEL);
  // Core metrics are only worth collecting when /metrics (on the health port) can serve them.
  const coreMetricsUrl = await installTemporalRuntime(logger, config.WORKER_HEALTH_PORT !== 0);
  const tracing = startTracing('payment-worker', config.OTEL_EXPORTER_OTLP_ENDPOINT);
  const app = await NestFactory.createApplicationContext(WorkerModule.withConfig(config, new WorkerMetrics(coreMetricsUrl), tracing), { logger });
  try {
    await app.get(PaymentWorker).run();
  } finally {
    await app.close();
    await tracing.shutdown();
  }
});
