import { join } from 'node:path';
import { repoRoot } from './lib/paths';
import { stopGracefully } from './lib/processes';
import { listedMerchantNamespaces } from './lib/merchant-namespaces';
import { localEnvironment } from './lib/stack/local-environment';
import { stackAddresses } from './lib/stack/stack-addresses';
import type { OwnTemporal } from './lib/stack/stack';
import { FAST_FILE_STORE_PRAGMAS, startTemporalDevServer } from './lib/temporal-dev-server';

const LOCAL_DATABASE = join(repoRoot, '.data/temporal.db');

/**
 * The local Temporal dev server (`npm start`, `npm run start:temporal`): with the Web UI, its runs
 * kept in .data/ across restarts, payloads decoded in the UI through the API's codec server.
 */
export function localTemporal(env: NodeJS.ProcessEnv): OwnTemporal & { uiUrl: string } {
  const { host, port } = stackAddresses(env).temporal;
  const uiPort = Number(env.TEMPORAL_UI_PORT ?? port + 1000);
  return {
    uiPort,
    uiUrl: `http://${host}:${uiPort}`,
    store: { file: LOCAL_DATABASE },
    sqlitePragmas: FAST_FILE_STORE_PRAGMAS,
    // The browser calls it, so it is the API's address as the browser sees it.
    uiCodecEndpoint: env.TEMPORAL_UI_CODEC_ENDPOINT || undefined,
  };
}

/** `npm run start:temporal`: the local dev server alone. */
if (require.main === module) {
  void (async () => {
    const env = localEnvironment();
    const { host, port, namespace } = stackAddresses(env).temporal;
    const temporal = localTemporal(env);
    const otherNamespaces = listedMerchantNamespaces(env);
    const server = await startTemporalDevServer({ ...temporal, ip: host, port, namespace, otherNamespaces, dbFilename: LOCAL_DATABASE, env });
    console.log(`Temporal dev server ready; Web UI at ${temporal.uiUrl}`);
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void stopGracefully(server));
    process.exitCode = Number(await server.exited) || 0;
  })().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
