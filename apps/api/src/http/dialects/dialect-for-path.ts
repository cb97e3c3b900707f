import { ordersDialect } from './orders-dialect';
import type { ProblemDialect } from './response-dialect';
import { walletConnectDialect } from './wallet-connect-dialect';

const ADVANCED_PAYMENTS_PATH = '/v1/advanced_payments';

/**
 * The dialect that answers a request on the checkout port, by API family. Decided from the path
 * because some errors (malformed JSON, unknown routes) arise before any route handler runs.
 */
export function dialectForPath(path: string): ProblemDialect {
  // Express matches routes case-insensitively, so the dialect must too.
  const route = path.toLowerCase();
  if (isUnder(route, ADVANCED_PAYMENTS_PATH)) return walletConnectDialect;
  return ordersDialect;
}

function isUnder(route: string, base: string): boolean {
  return route === base || route.startsWith(`${base}/`);
}
