import { loadEnvFileIfPresent, runOrExplain } from '@app/config';
import { loadSimulatorConfig } from './simulator-config';
import { startSimulator } from './simulator-server';

runOrExplain(async () => {
  loadEnvFileIfPresent();
  const config = loadSimulatorConfig();
  const simulator = await startSimulator({
    port: config.SIMULATOR_PORT,
    host: config.HOST,
    accessTokens: config.SIMULATOR_ACCESS_TOKENS,
    latencyMs: config.SIMULATOR_LATENCY_MS,
    notificationUrl: config.SIMULATOR_NOTIFICATION_URL,
    webhookSecrets: config.SIMULATOR_WEBHOOK_SECRETS,
    pendingSettleMs: config.SIMULATOR_PENDING_SETTLE_MS,
  });
  console.log(`Mercado Pago simulator listening on ${simulator.url} (state is in memory; a restart wipes it)`);
  if (config.SIMULATOR_NOTIFICATION_URL !== undefined) {
    const notified = Object.keys(config.SIMULATOR_WEBHOOK_SECRETS).length;
    console.log(`Order notifications go to ${config.SIMULATOR_NOTIFICATION_URL} for the ${notified} access token(s) with a webhook secret.`);
  }

  const stop = (signal: NodeJS.Signals) => {
    console.log(`Received ${signal}; closing the simulator.`);
    simulator.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
});
