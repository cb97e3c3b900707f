import { resolve } from 'node:path';
import { NAMESPACE_RETENTION_MS } from './lib/cluster/temporal-cluster';
import { repoRoot } from './lib/paths';
import { localEnvironment } from './lib/stack/local-environment';
import { httpUrl, stackAddresses } from './lib/stack/stack-addresses';
import { serveUntilStopped } from './lib/stack/serve-until-stopped';
import { Stack } from './lib/stack/stack';

/** Instance n listens on each configured port plus 10 × (n − 1): 3000, 3001, 3002, then 3010, 3011, 3012. */
const PORT_STEP = 10;

/**
 * `npm run start:cluster`: the production shape on this machine. The real Temporal server on a
 * private PostgreSQL with the Web UI (scripts/lib/cluster), then the simulator and two workers and
 * two APIs, all through the stack builder, each line prefixed with its process name. Ctrl-C stops
 * the apps, then the cluster.
 */
async function main(): Promise<void> {
  const local = localEnvironment();
  const { temporal, host, apiPort, operatorPort, workerHealthPort } = stackAddresses(local);
  const uiPort = Number(local.TEMPORAL_UI_PORT ?? temporal.port + 1000);
  // The apps run from the repository, but a relative bundle path is resolved here once, for all.
  const environment: NodeJS.ProcessEnv = { ...local, WORKFLOW_BUNDLE_PATH: resolve(repoRoot, local.WORKFLOW_BUNDLE_PATH ?? 'dist/workflow-bundle.js') };
  const portOf = (base: number) => String(base + PORT_STEP);
  console.log('starting PostgreSQL, the Temporal server and its Web UI …');
  const cluster = {
    retentionMs: NAMESPACE_RETENTION_MS,
    ui: { port: uiPort, ...(local.TEMPORAL_UI_CODEC_ENDPOINT ? { codecEndpoint: local.TEMPORAL_UI_CODEC_ENDPOINT } : {}) },
  };
  // The stack stops the cluster after its apps, on Ctrl-C and on any other stop.
  const stack = await Stack.start({ environment, temporal: { cluster }, cwd: repoRoot, liveOutput: true, keptLines: 0, ownProcessGroups: true });
  try {
    // The second instance of each, as a deployment runs several (0 serves no worker health endpoint).
    await stack.startApp('worker-2', 'worker', { WORKER_HEALTH_PORT: workerHealthPort === 0 ? '0' : portOf(workerHealthPort) });
    await stack.startApp('api-2', 'api', { PORT: portOf(apiPort), OPERATOR_PORT: portOf(operatorPort) });
  } catch (error) {
    await stack.stop();
    throw error;
  }
  // Any process dying on its own, the cluster's included, takes the stack down: a half-running stack only misleads.
  await serveUntilStopped(stack, 'Cluster stack ready', [
    `APIs       ${httpUrl(host, apiPort)} and ${httpUrl(host, Number(portOf(apiPort)))}  (POST /v1/orders/{order_id}/process; reference at /docs)`,
    `Operators  ${httpUrl(host, operatorPort)} and ${httpUrl(host, Number(portOf(operatorPort)))}  (/codec, /metrics)`,
    `Temporal   ${temporal.address}  (the server on PostgreSQL; two workers poll "${environment.TEMPORAL_TASK_QUEUE ?? 'payments'}")`,
    `Web UI     ${httpUrl('127.0.0.1', uiPort)}`,
    `Simulator  ${httpUrl(host, stack.addresses.simulatorPort)}  (controls under /__simulator)`,
  ]);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
