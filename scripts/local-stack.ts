import { appEntryPoints } from './lib/paths';
import { spawnPrefixed, stopGracefully, waitForPort, type Supervised } from './lib/processes';
import { stackEnvironment } from './lib/stack-environment';
import { startLocalTemporal } from './start-temporal';

/**
 * `npm start`: the whole local stack in one terminal, each line prefixed with its process name.
 * Ctrl-C stops the apps first and Temporal last, so in-flight work drains instead of erroring.
 */
async function main(): Promise<void> {
  const env = stackEnvironment();
  const spawnOptions = { env, ownProcessGroup: true };
  const host = env.HOST ?? '127.0.0.1';
  const started: Supervised[] = [];
  let stopping = false;
  const stopAll = async () => {
    if (stopping) return;
    stopping = true;
    console.log('stopping the local stack …');
    for (const process of [...started].reverse()) await stopGracefully(process);
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void stopAll());
  // Children in their own process groups outlive a crashed launcher unless told to go.
  process.once('exit', () => started.forEach((child) => child.child.kill('SIGTERM')));

  try {
    const temporal = await startLocalTemporal(env, true);
    started.push(temporal.server);
    const simulator = spawnPrefixed('simulator', process.execPath, [appEntryPoints.simulator], spawnOptions);
    started.push(simulator);
    await waitForPort(host, Number(env.SIMULATOR_PORT ?? 4010), 30_000, simulator);
    started.push(spawnPrefixed('worker', process.execPath, [appEntryPoints.worker], spawnOptions));
    const api = spawnPrefixed('api', process.execPath, [appEntryPoints.api], spawnOptions);
    started.push(api);
    await waitForPort(host, Number(env.PORT ?? 3000), 30_000, api);
    const operatorPort = Number(env.OPERATOR_PORT ?? 3002);
    await waitForPort(host, operatorPort, 30_000, api);

    console.log(
      [
        '',
        'Local stack ready:',
        `  API        http://${host}:${env.PORT ?? 3000}  (POST /v1/orders/{order_id}/process; reference at /docs)`,
        `  Operators  http://${host}:${operatorPort}  (/codec, /metrics)`,
        `  Web UI     ${temporal.uiUrl}`,
        ...(temporal.codecLoginUrl === null ? [] : [`  Codec      ${temporal.codecLoginUrl}  (operators sign in here to see payloads decrypted)`]),
        `  Simulator  http://${host}:${env.SIMULATOR_PORT ?? 4010}  (controls under /__simulator)`,
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
  const first = await Promise.race(started.map(async (process) => ({ process, code: await process.exited })));
  if (!stopping) {
    console.error(`${first.process.name} exited (${first.code}); stopping the rest`);
    process.exitCode = 1;
  }
  await stopAll();
}

void main();
