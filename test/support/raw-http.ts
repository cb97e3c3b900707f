import { connect } from 'node:net';

export interface RawAnswer {
  status: number;
  headers: string;
  body: unknown;
}

/**
 * Sends bytes exactly as given (what fetch would refuse or normalize: odd methods, paths,
 * duplicate or non-ASCII headers), optionally in timed pieces like a slow client, and reads the
 * answer until the server closes the connection, or, with `hangUp`, closes the connection itself
 * once the last piece is written, as a client that gives up mid-request does. Bounded by `timeoutMs`.
 */
export function rawHttp(
  url: string,
  pieces: ReadonlyArray<string | Buffer>,
  options: { pauseMs?: number; timeoutMs?: number; hangUp?: boolean; /** The client's own address, e.g. another of 127/8. */ localAddress?: string } = {},
): Promise<RawAnswer> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect({ port: Number(port), host: hostname, localAddress: options.localAddress });
    const received: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no complete answer within ${options.timeoutMs ?? 10_000} ms`));
    }, options.timeoutMs ?? 10_000);
    const pending = [...pieces];
    const writeNext = (): void => {
      const piece = pending.shift();
      if (piece === undefined && options.hangUp === true) socket.destroy();
      if (piece === undefined || socket.destroyed) return;
      socket.write(piece, () => setTimeout(writeNext, options.pauseMs ?? 0));
    };
    socket.on('connect', writeNext);
    socket.on('data', (chunk) => received.push(chunk));
    // The server may close while we still write; what it answered is what matters.
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      const text = Buffer.concat(received).toString('utf8');
      const separator = text.indexOf('\r\n\r\n');
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0);
      const bodyText = separator < 0 ? '' : text.slice(separator + 4);
      let body: unknown = bodyText;
      try {
        body = JSON.parse(bodyText);
      } catch {
        // Left as text: the assertions then show what came instead of JSON.
      }
      resolve({ status, headers: separator < 0 ? text : text.slice(0, separator), body });
    });
  });
}

/** A complete HTTP/1.1 request that asks the server to close the connection after answering. */
export function httpRequest(method: string, path: string, headers: ReadonlyArray<string>, body = ''): string {
  const lines = [`${method} ${path} HTTP/1.1`, 'Host: 127.0.0.1', 'Connection: close', ...headers];
  if (body !== '') lines.push(`Content-Length: ${Buffer.byteLength(body)}`);
  return `${lines.join('\r\n')}\r\n\r\n${body}`;
}
