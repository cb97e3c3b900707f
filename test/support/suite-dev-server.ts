import type { DevServerOptions } from '../../scripts/lib/temporal-dev-server';
import { SECOND_MERCHANT } from './second-merchant';

/**
 * A dev server as the end-to-end tests need it: in memory, headless, on loopback, with both test
 * merchants' namespaces (each with the search attributes). Tests that need a UI add it.
 */
export function suiteDevServerOptions(port: number, output: (line: string) => void): DevServerOptions {
  return { ip: '127.0.0.1', port, uiPort: null, dbFilename: null, namespace: 'default', otherNamespaces: [SECOND_MERCHANT.namespace], output };
}
