import { join } from 'node:path';
import { repoRoot } from './lib/paths';
import { stopGracefully } from './lib/processes';
import { listedMerchantNamespaces } from './lib/merchant-namespaces';
import { stackEnvironment } from './lib/stack-environment';
import { FAST_FILE_STORE_PRAGMAS, startTemporalDevServer } from './lib/temporal-dev-server';

/** `npm run start:temporal`: the Temporal dev server alone, with the Web UI, persisting to .data/. */
export async function startLocalTemporal(env: NodeJS.ProcessEnv, ownProcessGroup = false) {
  const [host = '127.0.0.1', port = '7233'] = (env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233').split(':');
  const uiPort = Number(env.TEMPORAL_UI_PORT ?? Number(port) + 1000);
  const server = await startTemporalDevServer({
    ip: host,
    port: Number(port),
    uiPort,
    dbFilename: join(repoRoot, '.data/temporal.db'),
    sqlitePragmas: FAST_FILE_STORE_PRAGMAS,
    namespace: env.TEMPORAL_NAMESPACE || 'default',
    otherNamespaces: listedMerchantNamespaces(env),
    // The browser calls it, so it is the API's address as the browser sees it.
    uiCodecEndpoint: env.TEMPORAL_UI_CODEC_ENDPOINT || undefined,
    env,
    ownProcessGroup,
  });
  return { server, uiUrl: `http://${host}:${uiPort}`, codecLoginUrl: env.TEMPORAL_UI_CODEC_ENDPOINT ? `${env.TEMPORAL_UI_CODEC_ENDPOINT}/login` : null };
}

if (require.main === module) {
  void (async () => {
    const { server, uiUrl } = await startLocalTemporal(stackEnvironment());
    console.log(`Temporal dev server ready; Web UI at ${uiUrl}`);
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void stopGracefully(server));
    process.exitCode = Number(await server.exited) || 0;
  })().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
