import type { JsonValue } from '@app/contracts/json';

/** What a handler decides; the server turns it into an HTTP response. No body means 204-style. */
export interface HandlerResult {
  status: number;
  body?: JsonValue;
  headers?: Readonly<Record<string, string>>;
}
