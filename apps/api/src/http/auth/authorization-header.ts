import type { IncomingMessage } from 'node:http';

/**
 * Node keeps only the first of repeated Authorization headers, so a request carrying two would be
 * judged by one of them; such ambiguous credentials are refused instead.
 */
export function hasAmbiguousAuthorization(request: IncomingMessage): boolean {
  const names = request.rawHeaders.filter((_value, index) => index % 2 === 0);
  return names.filter((name) => name.toLowerCase() === 'authorization').length > 1;
}
