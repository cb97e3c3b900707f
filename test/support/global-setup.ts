import { ensureTemporalServerBuild } from '../../scripts/lib/cluster/temporal-build';
import { startTemporalDevServer } from '../../scripts/lib/temporal-dev-server';
import type { Supervised } from '../../scripts/lib/processes';
import { freePort } from '../../scripts/lib/free-port';
import { locateChromium } from './chromium';
import { suiteDevServerOptions } from './suite-dev-server';

declare global {
  var temporalDevServer: Supervised | undefined;
}

/**
 * One real Temporal dev server (in memory, headless) for the whole end-to-end suite; each test
 * file isolates itself with its own task queue and idempotency keys.
 */
export default async function globalSetup(): Promise<void> {
  const port = await freePort();
  const output: string[] = [];
  try {
    globalThis.temporalDevServer = await startTemporalDevServer(suiteDevServerOptions(port, (line) => output.push(line)));
  } catch (error) {
    console.error(output.join('\n'));
    throw error;
  }
  process.env.TEST_TEMPORAL_ADDRESS = `127.0.0.1:${port}`;
  // Located (or installed) once, here, so a missing browser fails before any test starts.
  process.env.CHROMIUM_PATH = locateChromium();
  // The real server, for the tests that need more than the dev server (TLS): built once into
  // .tools/ (minutes, the first time). Where it cannot be built, those tests say why and skip.
  try {
    await ensureTemporalServerBuild((line) => output.push(line));
  } catch (error) {
    process.env.TEST_TEMPORAL_SERVER_UNBUILT = error instanceof Error ? error.message : String(error);
  }
}
