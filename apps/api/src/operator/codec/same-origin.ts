import type { IncomingHttpHeaders } from 'node:http';

/**
 * `Sec-Fetch-Site` values of a request that a page of this very origin made (`same-origin`), or the
 * user made directly (`none`: typed, bookmarked). `same-site` is refused too: a sibling subdomain,
 * or another port of this host, is not the login page.
 */
const TRUSTED_FETCH_SITES: ReadonlySet<string> = new Set(['same-origin', 'none']);

/** The origin browsers give this server's own pages: https when it is served over HTTPS (CODEC_COOKIE_SECURE). */
export function ownOrigin(headers: IncomingHttpHeaders, secure: boolean): string {
  return `${secure ? 'https' : 'http'}://${headers.host ?? ''}`;
}

/**
 * Whether a state-changing browser request (sign in, sign out) came from this origin's own page,
 * so another site cannot sign an operator in as someone else, or out. `Sec-Fetch-Site` decides
 * when the browser sends it (every current browser does, to HTTPS and localhost origins), else
 * `Origin`, which every current browser sends with a POST, and which must be ours exactly (`null`,
 * sent from sandboxed frames and after cross-site redirects, is not). A request with neither comes
 * from no current browser: it is refused too, so an unknown client fails closed. Scripts and the
 * CLI use bearer tokens and never need these forms.
 */
export function isSameOriginRequest(headers: IncomingHttpHeaders, origin: string): boolean {
  const site = headers['sec-fetch-site'];
  if (site !== undefined) return typeof site === 'string' && TRUSTED_FETCH_SITES.has(site);
  return headers.origin === origin;
}
