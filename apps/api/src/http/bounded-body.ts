import type { IncomingMessage } from 'node:http';

/** Thrown when a body exceeds its bound; the caller answers 413. */
export class BodyTooLarge extends Error {}

/**
 * Reads a request body of at most `limitBytes`. The operator routes have no app-wide body parser:
 * each reads its body itself, and only after deciding the request may go on (the login form after
 * its origin check, codec bodies after authentication). An oversized body is drained, not kept, so
 * the connection stays usable for the 413.
 */
export async function readBoundedBody(request: IncomingMessage, limitBytes: number): Promise<Buffer> {
  if (Number(request.headers['content-length'] ?? 0) > limitBytes) throw new BodyTooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size <= limitBytes) chunks.push(buffer);
  }
  if (size > limitBytes) throw new BodyTooLarge();
  return Buffer.concat(chunks);
}
