import type { Response } from 'express';
import type { JsonValue } from '@app/contracts';

/** A complete HTTP answer: what a dialect decides, and what `send` writes. */
export interface HttpAnswer {
  status: number;
  body: JsonValue;
  headers?: Readonly<Record<string, string>>;
}

export function send(response: Response, answer: HttpAnswer): void {
  for (const [name, value] of Object.entries(answer.headers ?? {})) response.setHeader(name, value);
  response.status(answer.status).json(answer.body);
}
