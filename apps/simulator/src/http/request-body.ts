import type { IncomingMessage } from 'node:http';
import type { JsonValue } from '@app/contracts/json';

/** Larger bodies are answered with 413; no Mercado Pago request comes near it. */
export const MAX_BODY_BYTES = 1024 * 1024;

export type BodyRead = { kind: 'complete'; text: string } | { kind: 'too_large' };

/**
 * Reads the whole body, keeping at most `limit` bytes. An oversized body is still drained, so
 * the client finishes sending and reads the 413 instead of seeing its upload cut off.
 */
export async function readBody(request: IncomingMessage, limit: number = MAX_BODY_BYTES): Promise<BodyRead> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= limit) chunks.push(chunk);
  }
  return size > limit ? { kind: 'too_large' } : { kind: 'complete', text: Buffer.concat(chunks).toString('utf8') };
}

export type ParsedBody = { kind: 'empty' } | { kind: 'json'; value: JsonValue } | { kind: 'malformed' };

/** An empty (or all-blank) body is "no body": process, capture, cancel and full refund send none. */
export function parseJsonBody(text: string): ParsedBody {
  if (text.trim() === '') return { kind: 'empty' };
  try {
    return { kind: 'json', value: JSON.parse(text) as JsonValue };
  } catch {
    return { kind: 'malformed' };
  }
}
