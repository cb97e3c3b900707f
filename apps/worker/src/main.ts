import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { loadEnvFileIfPresent, runOrExplain } from '@app/config';
import { PaymentWorker } from './payment-worker';
import { loadWorkerConfig } from './worker-config';
import { WorkerModule } from './worker.module';

runOrExplain(async () => {
  loadEnvFileIfPresent();
  const config = loadWorkerConfig();
  const app = await NestFactory.createApplicationContext(WorkerModule.withConfig(config));
  await app.get(PaymentWorker).run();
  await app.close();
});
