import type { IncomingMessage } from 'node:http';

/**
 * Node keeps only the first of repeated Authorization headers, so a request carrying two would be
 * judged by one of them; such ambiguous credentials are refused instead.
 */
const AUTHORIZATION = 'authorization';

export function hasAmbiguousAuthorization(request: IncomingMessage): boolean {
  // Names are at the even indexes of the raw list; counted in place, as every request is judged.
  let seen = 0;
  for (let index = 0; index < request.rawHeaders.length; index += 2) {
    const name = request.rawHeaders[index];
    if (name?.length === AUTHORIZATION.length && name.toLowerCase() === AUTHORIZATION) seen += 1;
  }
  return seen > 1;
}
