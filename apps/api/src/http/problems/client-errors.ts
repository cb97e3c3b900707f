import { STATUS_CODES, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { ordersErrorBody, ordersErrors, type OrdersErrorCode } from '@app/mercadopago';

/** Node's parser and timeout errors, by the answer each gets. */
function answerFor(error: NodeJS.ErrnoException): OrdersErrorCode {
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') return 'request_timeout';
  if (error.code === 'HPE_HEADER_OVERFLOW') return 'request_header_fields_too_large';
  return 'malformed_request';
}

/** Responses of requests already in Express that were answered straight on their socket, here. */
const answeredOnSocket = new WeakSet<ServerResponse>();

/** Whether this request's answer was written by the clientError handler (a request timed out mid-body). */
export function answeredOnItsSocket(response: ServerResponse): boolean {
  return answeredOnSocket.has(response);
}

/**
 * Requests Node refuses before Express sees them (unparseable HTTP, oversized headers, slow
 * clients cut off by the server's timeouts) get a JSON error body like every other answer,
 * instead of Node's bare status line. The connection is closed afterwards. A request already in
 * Express (a body that trickles past the request timeout) keeps the status it was answered, for
 * its access line and count.
 */
export function answerClientErrorsWithJson(server: Server): void {
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    // Node's own handler makes the same checks: nothing to say to a gone client or mid-answer. A
    // connection the client ended before its request did (HPE_INVALID_EOF_STATE, e.g. mid-body) is
    // a client gone too: its request is counted aborted (RequestTelemetry), not answered.
    const response = (socket as Duplex & { _httpMessage?: ServerResponse | null })._httpMessage;
    if (error.code === 'ECONNRESET' || error.code === 'HPE_INVALID_EOF_STATE' || !socket.writable || response?.headersSent === true) {
      socket.destroy();
      return;
    }
    const code = answerFor(error);
    const body = JSON.stringify(ordersErrorBody(code));
    const { status } = ordersErrors[code];
    if (response) {
      response.statusCode = status;
      answeredOnSocket.add(response);
    }
    socket.end(
      `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  });
}
