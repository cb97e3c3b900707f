import { ordersDialect } from './orders-dialect';
import type { ResponseDialect } from './response-dialect';
import { walletConnectDialect } from './wallet-connect-dialect';

export const ADVANCED_PAYMENTS_PATH = '/v1/advanced_payments';

/**
 * The dialect that answers a request, by API family. Decided from the path because some errors
 * (malformed JSON, unknown routes) arise before any route handler runs.
 */
export function dialectForPath(path: string): ResponseDialect {
  return path === ADVANCED_PAYMENTS_PATH || path.startsWith(`${ADVANCED_PAYMENTS_PATH}/`) ? walletConnectDialect : ordersDialect;
}
