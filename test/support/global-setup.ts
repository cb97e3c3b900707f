import { ensureTemporalServerBuild } from '../../scripts/lib/cluster/temporal-build';
import { startTemporalCluster, type TemporalCluster } from '../../scripts/lib/cluster/temporal-cluster';
import { startTemporalDevServer } from '../../scripts/lib/temporal-dev-server';
import type { Supervised } from '../../scripts/lib/processes';
import { freePort } from '../../scripts/lib/free-port';
import { LAB_CLUSTER } from '../../scripts/lib/stack/temporal-choice';
import { locateChromium } from './chromium';
import { SUITE_DYNAMIC_CONFIG, suiteDevServerOptions } from './suite-dev-server';

declare global {
  var temporalDevServer: Supervised | undefined;
  var temporalCluster: TemporalCluster | undefined;
}

/**
 * One real Temporal for the whole end-to-end suite; each test file isolates itself with its own
 * task queue and idempotency keys. The CLI's dev server (in memory, headless), or with
 * TEST_TEMPORAL=cluster (`npm run test:cluster`) the real server on a private PostgreSQL.
 */
export default async function globalSetup(): Promise<void> {
  const port = await freePort();
  const output: string[] = [];
  // The cluster gets the suite's namespaces too, so every test finds what it finds on the dev server.
  const devServer = suiteDevServerOptions(port, (line) => output.push(line));
  try {
    if (process.env.TEST_TEMPORAL === 'cluster') {
      const namespaces = [devServer.namespace, ...(devServer.otherNamespaces ?? [])] as const;
      globalThis.temporalCluster = await startTemporalCluster({ ...LAB_CLUSTER.cluster, port, namespaces, dynamicConfig: SUITE_DYNAMIC_CONFIG, output: (line) => output.push(line) });
    } else if (process.env.TEST_TEMPORAL === undefined) {
      globalThis.temporalDevServer = await startTemporalDevServer(devServer);
    } else {
      throw new Error(`TEST_TEMPORAL=${process.env.TEST_TEMPORAL}: leave it unset (the dev server) or set it to cluster`);
    }
  } catch (error) {
    console.error(output.join('\n'));
    throw error;
  }
  process.env.TEST_TEMPORAL_ADDRESS = `127.0.0.1:${port}`;
  // Located (or installed) once, here, so a missing browser fails before any test starts.
  process.env.CHROMIUM_PATH = locateChromium();
  // The real server, for the tests that need more than the dev server (TLS): built once into
  // .tools/ (minutes, the first time). Where it cannot be built, those tests fail saying why
  // (or skip, with TEST_SKIP_UNBUILT_TEMPORAL_SERVER=1: README, "Tests").
  try {
    await ensureTemporalServerBuild((line) => output.push(line));
  } catch (error) {
    process.env.TEST_TEMPORAL_SERVER_UNBUILT = error instanceof Error ? error.message : String(error);
  }
}
