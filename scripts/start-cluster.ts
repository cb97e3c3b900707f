import { resolve } from 'node:path';
import { appEntryPoints, repoRoot } from './lib/paths';
import { waitForPort } from './lib/processes';
import { stackEnvironment } from './lib/stack-environment';
import { StackProcesses } from './lib/stack-processes';
import { startTemporalCluster, type TemporalCluster } from './lib/cluster/temporal-cluster';

/** The dev server's default, and docker-compose.yml's: the idempotency window (README.md). */
const RETENTION_MS = 24 * 60 * 60 * 1000;
const APP_READY_TIMEOUT_MS = 60_000;
/** Two of each, as a deployment runs them. */
const INSTANCES = [1, 2] as const;
/** Instance n listens on each configured port plus 10 × (n − 1): 3000, 3001, 3002, then 3010, 3011, 3012. */
const PORT_STEP = 10;

/**
 * `npm run start:cluster`: the production shape on this machine. The real Temporal server on a
 * private PostgreSQL with the Web UI (scripts/lib/cluster), then the simulator, two workers and
 * two APIs, each line prefixed with its process name. Ctrl-C stops the apps, then the cluster.
 */
async function main(): Promise<void> {
  const env = stackEnvironment();
  const host = '127.0.0.1';
  const temporalPort = Number((env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233').split(':')[1] ?? 7233);
  const apiPort = Number(env.PORT ?? 3000);
  const operatorPort = Number(env.OPERATOR_PORT ?? 3002);
  const workerHealthPort = Number(env.WORKER_HEALTH_PORT ?? 0);
  const portOf = (base: number, instance: number) => String(base + PORT_STEP * (instance - 1));
  const simulatorPort = Number(env.SIMULATOR_PORT ?? 4010);
  const apps = new StackProcesses(true);
  let cluster: TemporalCluster | null = null;
  let stopping = false;
  const stopAll = async () => {
    if (stopping) return;
    stopping = true;
    console.log('stopping the cluster stack …');
    await apps.stopAll();
    await cluster?.stop();
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void stopAll());

  try {
    console.log('starting PostgreSQL, the Temporal server and its Web UI …');
    cluster = await startTemporalCluster({
      port: temporalPort,
      namespace: env.TEMPORAL_NAMESPACE ?? 'default',
      retentionMs: RETENTION_MS,
      ui: { port: Number(env.TEMPORAL_UI_PORT ?? temporalPort + 1000), ...(env.TEMPORAL_UI_CODEC_ENDPOINT ? { codecEndpoint: env.TEMPORAL_UI_CODEC_ENDPOINT } : {}) },
      output: apps.collect,
    });
    // The apps run away from the repository (StackProcesses.spawnApp): the bundle's path must not be relative.
    const appEnv = { ...env, TEMPORAL_ADDRESS: cluster.address, WORKFLOW_BUNDLE_PATH: resolve(repoRoot, env.WORKFLOW_BUNDLE_PATH ?? 'dist/workflow-bundle.js') };
    const simulator = apps.spawnApp('simulator', appEntryPoints.simulator, appEnv);
    await waitForPort(host, simulatorPort, APP_READY_TIMEOUT_MS, simulator);
    for (const instance of INSTANCES) {
      // 0 serves no health endpoint, for either worker.
      apps.spawnApp(`worker-${instance}`, appEntryPoints.worker, { ...appEnv, WORKER_HEALTH_PORT: workerHealthPort === 0 ? '0' : portOf(workerHealthPort, instance) });
    }
    for (const instance of INSTANCES) {
      const ports = { PORT: portOf(apiPort, instance), OPERATOR_PORT: portOf(operatorPort, instance) };
      const api = apps.spawnApp(`api-${instance}`, appEntryPoints.api, { ...appEnv, ...ports });
      await waitForPort(host, Number(ports.PORT), APP_READY_TIMEOUT_MS, api);
      await waitForPort(host, Number(ports.OPERATOR_PORT), APP_READY_TIMEOUT_MS, api);
    }
    console.log(
      [
        '',
        'Cluster stack ready:',
        `  APIs       http://${host}:${apiPort} and http://${host}:${portOf(apiPort, 2)}  (POST /v1/orders/{order_id}/process; reference at /docs)`,
        `  Operators  http://${host}:${operatorPort} and http://${host}:${portOf(operatorPort, 2)}  (/codec, /metrics)`,
        `  Temporal   ${cluster.address}  (the server on PostgreSQL; two workers poll "${env.TEMPORAL_TASK_QUEUE ?? 'payments'}")`,
        `  Web UI     ${cluster.uiUrl}`,
        `  Simulator  http://${host}:${simulatorPort}  (controls under /__simulator)`,
        'Press Ctrl-C to stop.',
        '',
      ].join('\n'),
    );
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
    await stopAll();
    return;
  }
  // Any process dying on its own takes the stack down: a half-running stack only misleads.
  const clusterExit = Promise.race(cluster.processes.map(async (child) => `${child.name} exited (${await child.exited})`));
  const reason = await Promise.race([apps.unexpectedExit, clusterExit]);
  if (!stopping) {
    console.error(`${reason}; stopping the rest`);
    process.exitCode = 1;
  }
  await stopAll();
}

void main();
