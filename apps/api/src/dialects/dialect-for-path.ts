import { ordersDialect } from './orders-dialect';
import type { ResponseDialect } from './response-dialect';
import { walletConnectDialect } from './wallet-connect-dialect';

const ADVANCED_PAYMENTS_PATH = '/v1/advanced_payments';

/**
 * The dialect that answers a request, by API family. Decided from the path because some errors
 * (malformed JSON, unknown routes) arise before any route handler runs.
 */
export function dialectForPath(path: string): ResponseDialect {
  // Express matches routes case-insensitively, so the dialect must too.
  const route = path.toLowerCase();
  return route === ADVANCED_PAYMENTS_PATH || route.startsWith(`${ADVANCED_PAYMENTS_PATH}/`) ? walletConnectDialect : ordersDialect;
}
