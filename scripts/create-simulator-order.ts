import { createSimulatorOrder } from './lib/simulator-orders';
import { localEnvironment } from './lib/stack/local-environment';

/**
 * `npm run --silent sim:order -- [CARDHOLDER] [manual|automatic]`: creates a test order in the
 * running simulator and prints its id, ready for POST /v1/orders/{id}/process.
 */
async function main(): Promise<void> {
  const env = localEnvironment();
  const [cardholder = 'APRO', mode = 'manual'] = process.argv.slice(2);
  if (mode !== 'manual' && mode !== 'automatic') throw new Error('the processing mode must be manual or automatic');
  const accessToken = (env.SIMULATOR_ACCESS_TOKENS ?? env.UPSTREAM_ACCESS_TOKEN ?? '').split(',')[0]!.trim();
  const orderId = await createSimulatorOrder({
    baseUrl: `http://${env.HOST ?? '127.0.0.1'}:${env.SIMULATOR_PORT ?? 4010}`,
    accessToken,
    cardholder,
    processingMode: mode,
  });
  console.log(orderId);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
