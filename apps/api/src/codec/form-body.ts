import type { IncomingMessage } from 'node:http';

/** Thrown when a form body exceeds its bound; the caller answers 413. */
export class FormBodyTooLarge extends Error {}

/**
 * Reads an `application/x-www-form-urlencoded` body of at most `limitBytes`. The API's only body
 * parser is JSON, so a form post arrives unread; it is parsed here for the login page alone. An
 * oversized body is drained, not kept, so the connection stays usable for the 413.
 */
export async function readFormBody(request: IncomingMessage, limitBytes: number): Promise<URLSearchParams> {
  if (Number(request.headers['content-length'] ?? 0) > limitBytes) throw new FormBodyTooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size <= limitBytes) chunks.push(buffer);
  }
  if (size > limitBytes) throw new FormBodyTooLarge();
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}
