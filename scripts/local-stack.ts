import { repoRoot } from './lib/paths';
import { localEnvironment } from './lib/stack/local-environment';
import { httpUrl } from './lib/stack/stack-addresses';
import { serveUntilStopped } from './lib/stack/serve-until-stopped';
import { Stack } from './lib/stack/stack';
import { localTemporal } from './start-temporal';

/**
 * `npm start`: the whole local stack in one terminal, configured by .env.example (and .env), each
 * line prefixed with its process name. Ctrl-C stops it in order; any process dying on its own
 * takes the stack down, as a half-running stack only misleads.
 */
async function main(): Promise<void> {
  const environment = localEnvironment();
  const temporal = localTemporal(environment);
  // The repository as working directory: .env's relative paths (the workflow bundle) are from there.
  const stack = await Stack.start({ environment, temporal, cwd: repoRoot, liveOutput: true, keptLines: 0, ownProcessGroups: true });
  const { host, apiPort, operatorPort, simulatorPort } = stack.addresses;
  await serveUntilStopped(stack, 'Local stack ready', [
    `API        ${httpUrl(host, apiPort)}  (POST /v1/orders/{order_id}/process; reference at /docs)`,
    `Operators  ${httpUrl(host, operatorPort)}  (/codec, /metrics)`,
    `Web UI     ${temporal.uiUrl}`,
    ...(temporal.uiCodecEndpoint === undefined ? [] : [`Codec      ${temporal.uiCodecEndpoint}  (${codecAccess(environment)})`]),
    `Simulator  ${httpUrl(host, simulatorPort)}  (controls under /__simulator)`,
  ]);
}

/** How the Web UI reads payloads decrypted: at once on the local stack's shortcut, else after a sign-in. */
function codecAccess(environment: NodeJS.ProcessEnv): string {
  return environment.CODEC_LOCAL_NO_SIGN_IN === 'true'
    ? 'the Web UI shows payloads decrypted, no sign-in: CODEC_LOCAL_NO_SIGN_IN with the local keys'
    : 'operators sign in at /codec/login to see payloads decrypted';
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
