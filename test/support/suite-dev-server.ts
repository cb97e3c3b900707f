import type { DevServerOptions } from '../../scripts/lib/temporal-dev-server';
import { SECOND_MERCHANT } from './second-merchant';

/**
 * The suite's Temporal (dev server or cluster) ends a long poll with no task after 5 s instead of
 * a minute (`matching.longPollExpirationInterval`, common/dynamicconfig/constants.go in
 * temporalio/temporal). A worker whose namespace is deleted under it sees the error once its poll in
 * flight ends, and only then starts the SDK's 60 s of retries before failing
 * (test/operations/hosted-worker-restart.e2e-spec.ts): 5 s later, not up to 60 s. Idle workers
 * merely poll again sooner.
 */
export const SUITE_DYNAMIC_CONFIG: Readonly<Record<string, string>> = { 'matching.longPollExpirationInterval': '"5s"' };

/**
 * A dev server as the end-to-end tests need it: in memory, headless, on loopback, with both test
 * merchants' namespaces (each with the search attributes). Tests that need a UI add it.
 */
export function suiteDevServerOptions(port: number, output: (line: string) => void): DevServerOptions {
  return { ip: '127.0.0.1', port, uiPort: null, dbFilename: null, namespace: 'default', otherNamespaces: [SECOND_MERCHANT.namespace], dynamicConfig: SUITE_DYNAMIC_CONFIG, output };
}
