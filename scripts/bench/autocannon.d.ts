/**
 * autocannon 9 ships no type declarations and @types/autocannon is not installed: this declares
 * only the part of its programmatic API the benchmark uses.
 */
declare module 'autocannon' {
  import type { EventEmitter } from 'node:events';

  namespace autocannon {
    /** The raw request autocannon serialises; `setupRequest` returns an amended copy. */
    interface RawRequest {
      method?: string;
      path?: string;
      headers?: Record<string, string>;
      body?: string;
    }

    interface Request extends RawRequest {
      /** Called right before each request is sent on a connection (and once per connection at start-up). */
      setupRequest?: (request: RawRequest, context: Record<string, unknown>) => RawRequest;
      onResponse?: (status: number, body: string, context: Record<string, unknown>, headers: Record<string, string | string[]>) => void;
    }

    interface Options {
      url: string;
      connections: number;
      /** Seconds; ignored when `amount` is set. */
      duration?: number;
      /** Exactly this many requests, however long it takes. */
      amount?: number;
      /** At most this many requests overall, split evenly between the connections. */
      maxOverallRequests?: number;
      /** Per-request timeout, in seconds. */
      timeout?: number;
      /** How often, in milliseconds, autocannon samples its counters and checks whether to stop. */
      sampleInt?: number;
      pipelining?: number;
      requests?: Request[];
    }

    interface Result {
      /** Connection errors, timeouts included. */
      errors: number;
      timeouts: number;
    }

    interface Instance extends EventEmitter, PromiseLike<Result> {
      on(event: 'response', listener: (client: unknown, statusCode: number, responseBytes: number, responseTimeMs: number) => void): this;
      stop(): void;
    }
  }

  function autocannon(options: autocannon.Options): autocannon.Instance;
  export = autocannon;
}
