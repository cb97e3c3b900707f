import { randomUUID } from 'node:crypto';
import { CLIENT_TOKENS } from './stack';

export interface ApiAnswer {
  status: number;
  headers: Headers;
  /** The body exactly as sent, for byte-for-byte replay comparisons. */
  text: string;
  body: unknown;
}

export interface ProcessOptions {
  key?: string | null;
  token?: string | null;
}

/** Calls the orchestrator as a checkout service would. */
export class ApiClient {
  constructor(private readonly baseUrl: string) {}

  processOrder(orderId: string, options: ProcessOptions = {}): Promise<ApiAnswer> {
    return this.post(`/v1/orders/${orderId}/process`, undefined, options);
  }

  /** Any write, as a checkout service sends it: bearer token, idempotency key, JSON body if any. */
  post(path: string, body: unknown, options: ProcessOptions = {}): Promise<ApiAnswer> {
    return this.postRaw(path, body === undefined ? undefined : { contentType: 'application/json', text: JSON.stringify(body) }, options);
  }

  /** A write whose body is sent exactly as given, of any content type, for malformed and hostile input. */
  async postRaw(path: string, body: { contentType: string; text: string } | undefined, options: ProcessOptions = {}): Promise<ApiAnswer> {
    const headers: Record<string, string> = {};
    const token = options.token === undefined ? CLIENT_TOKENS.checkout : options.token;
    if (token !== null) headers.authorization = `Bearer ${token}`;
    if (options.key !== null) headers['x-idempotency-key'] = options.key ?? newKey();
    if (body !== undefined) headers['content-type'] = body.contentType;
    const response = await fetch(`${this.baseUrl}${path}`, { method: 'POST', headers, body: body?.text });
    const text = await response.text();
    return { status: response.status, headers: response.headers, text, body: JSON.parse(text) as unknown };
  }

  async get(path: string, token: string | null = CLIENT_TOKENS.checkout): Promise<ApiAnswer> {
    const response = await fetch(`${this.baseUrl}${path}`, { headers: token === null ? {} : { authorization: `Bearer ${token}` } });
    const text = await response.text();
    return { status: response.status, headers: response.headers, text, body: JSON.parse(text) as unknown };
  }
}

export function newKey(): string {
  return `e2e-${randomUUID()}`;
}

/** The first error code of an Orders error body. */
export function errorCode(answer: ApiAnswer): string | undefined {
  const body = answer.body as { errors?: { code?: string }[] };
  return body.errors?.[0]?.code;
}

/** How many requests a client with a rate of 1/s and a burst of 1 may need before one is refused: a few, with room for slow machines. */
const REFUSAL_TRIES = 30;

/**
 * Sends until the API refuses with 429 (the client over its request rate) and returns that
 * answer; each try may send a request of its own (a fresh key, another order). Bounded: a client
 * never refused fails the test.
 */
export async function firstRefusal(send: () => Promise<ApiAnswer>): Promise<ApiAnswer> {
  for (let attempt = 0; attempt < REFUSAL_TRIES; attempt += 1) {
    const answer = await send();
    if (answer.status === 429) return answer;
  }
  throw new Error(`no 429 after ${REFUSAL_TRIES} requests: the client's request rate was not enforced`);
}
