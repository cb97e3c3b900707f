import type { Request } from 'express';

/** Label of requests no route matched (404s, scans): one series, whatever the path. */
export const UNMATCHED_ROUTE = 'unmatched';

/**
 * The route template that served a request (`/v1/orders/:orderId/process`), never its path: a
 * path carries order ids, and one label value per order would grow without bound.
 */
export function routeLabel(request: Pick<Request, 'route' | 'baseUrl'>): string {
  const template: unknown = (request.route as { path?: unknown } | undefined)?.path;
  return typeof template === 'string' ? `${request.baseUrl}${template}` : UNMATCHED_ROUTE;
}
