import { randomUUID } from 'node:crypto';

export const REQUEST_ID_HEADER = 'x-request-id';

/** Ids a proxy or client typically sends (UUIDs, ULIDs, hex); anything else could forge log lines. */
const SANE_REQUEST_ID = /^[\w.:-]{1,128}$/;

/** The caller's request id when it is sane, else a fresh one: every request gets exactly one. */
export function requestIdFrom(header: string | string[] | undefined): string {
  return typeof header === 'string' && SANE_REQUEST_ID.test(header) ? header : randomUUID();
}
