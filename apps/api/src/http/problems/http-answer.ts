import type { ServerResponse } from 'node:http';
import type { JsonValue } from '@app/contracts';

/** A complete HTTP answer: what a dialect decides, and what `send` writes. */
export interface HttpAnswer {
  status: number;
  body: JsonValue;
  headers?: Readonly<Record<string, string>>;
}

/**
 * The JSON text of bodies answered again and again unchanged (remembered answers: PaymentRuns),
 * rendered once when remembered rather than for each replay (BENCHMARKS.md, the replay front).
 */
const renderedBodies = new WeakMap<object, string>();

/** Keeps the text of a body `send` will write many times (its JSON.stringify); the body must not change afterwards. */
export function renderOnce(body: JsonValue, text: string): void {
  if (typeof body === 'object' && body !== null) renderedBodies.set(body, text);
}

/**
 * Writes an answer on a plain Node response, so the replay front (replay-front.ts), which answers
 * before Express has seen the request, and every Nest route send the same bytes: the headers Express's
 * `res.json` wrote (Content-Type with its charset, Content-Length as a string, no ETag: the apps
 * disable it), in the same order. `res.json` could also answer 304 to a GET whose If-None-Match is `*`;
 * no route of the API answers anything a cache could hold, so nothing here does.
 */
export function send(response: ServerResponse, answer: HttpAnswer): void {
  if (answer.headers !== undefined) for (const name of Object.keys(answer.headers)) response.setHeader(name, answer.headers[name] as string);
  const body = renderedBodies.get(answer.body as object) ?? JSON.stringify(answer.body);
  response.statusCode = answer.status;
  response.setHeader('Content-Type', 'application/json; charset=utf-8');
  response.setHeader('Content-Length', String(Buffer.byteLength(body)));
  // Node itself sends no body in answer to HEAD, as Express did.
  response.end(body, 'utf8');
}
