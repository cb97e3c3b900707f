import type { NextFunction, Request, Response } from 'express';
import { ordersErrorAnswer } from './dialects/orders-dialect';
import { send } from './problems/http-answer';

/**
 * RFC 9112 §3.2: a server must answer 400 to an HTTP/1.1 request without a Host header. Node does
 * so itself, with a bare status line no listener sees, unless told not to (prepareHttpApp does);
 * refused here instead, after the telemetry middleware, the request gets the Orders shape of every
 * server-level refusal (docs/api.md), an access line and its count, and the connection is closed.
 */
export function refuseMissingHost(request: Request, response: Response, next: NextFunction): void {
  if (request.httpVersion !== '1.1' || request.headers.host !== undefined) {
    next();
    return;
  }
  response.setHeader('Connection', 'close');
  send(response, ordersErrorAnswer('malformed_request'));
}

/** U+FFFD, percent-encoded: what a lenient decoder reads in place of bytes that do not decode. */
const REPLACEMENT_CHARACTER = encodeURIComponent('\uFFFD');

/**
 * A path segment that is not valid percent-encoding (`x%zz`, `%C3` alone) becomes U+FFFD before
 * routing. Express would refuse it while matching routes, before any guard, as one bad path for
 * every route; replaced, the request reaches the route it names (a segment with `%` never matches a
 * literal one, so which route is unchanged), which authenticates first and then refuses the
 * parameter with its own documented error (docs/api.md): no key or order id holds U+FFFD.
 */
export function replaceUndecodableSegments(request: Request, _response: Response, next: NextFunction): void {
  const queryStart = request.url.indexOf('?');
  const path = queryStart < 0 ? request.url : request.url.slice(0, queryStart);
  if (!decodes(path)) {
    const query = queryStart < 0 ? '' : request.url.slice(queryStart);
    request.url = `${path
      .split('/')
      .map((segment) => (decodes(segment) ? segment : REPLACEMENT_CHARACTER))
      .join('/')}${query}`;
  }
  next();
}

function decodes(text: string): boolean {
  try {
    decodeURIComponent(text);
    return true;
  } catch {
    return false;
  }
}
