import { stopGracefully } from '../../scripts/lib/processes';

export default async function globalTeardown(): Promise<void> {
  if (globalThis.temporalDevServer !== undefined) await stopGracefully(globalThis.temporalDevServer, 5_000);
  await globalThis.temporalCluster?.stop();
}
