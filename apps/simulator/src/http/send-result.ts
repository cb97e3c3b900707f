import type { ServerResponse } from 'node:http';
import type { HandlerResult } from './handler-result';

export function sendResult(response: ServerResponse, result: HandlerResult): void {
  if (result.body === undefined) {
    response.writeHead(result.status, { ...result.headers });
    response.end();
    return;
  }
  const payload = JSON.stringify(result.body);
  response.writeHead(result.status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(payload)),
    ...result.headers,
  });
  response.end(payload);
}
