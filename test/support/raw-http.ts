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
      resolve(answerOf(Buffer.concat(received).toString('utf8')));
    });
  });
}

/** The status, head and body (parsed when JSON) of one answer's text. */
function answerOf(text: string): RawAnswer {
  const separator = text.indexOf('\r\n\r\n');
  const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0);
  const bodyText = separator < 0 ? '' : text.slice(separator + 4);
  let body: unknown = bodyText;
  try {
    body = JSON.parse(bodyText);
  } catch {
    // Left as text: the assertions then show what came instead of JSON.
  }
  return { status, headers: separator < 0 ? text : text.slice(0, separator), body };
}

/**
 * Sends the requests one by one on a single kept-alive connection, each once the previous answer
 * (with a Content-Length) has arrived and the connection has then lain idle `idleMs`, as a client
 * reusing a pooled connection does. Rejects, saying when, if the server closes the connection
 * before the last answer; each answer bounded by `timeoutMs`.
 */
export function keptAliveAnswers(url: string, requests: readonly string[], options: { idleMs: number; timeoutMs?: number }): Promise<RawAnswer[]> {
  const { hostname, port } = new URL(url);
  const timeoutMs = options.timeoutMs ?? 10_000;
  return new Promise((resolve, reject) => {
    const socket = connect({ port: Number(port), host: hostname });
    const answers: RawAnswer[] = [];
    let received = Buffer.alloc(0);
    let lastAnswerAt = Date.now();
    let timer: NodeJS.Timeout | undefined;
    const settle = (outcome: () => void): void => {
      clearTimeout(timer);
      socket.removeAllListeners('close');
      socket.destroy();
      outcome();
    };
    const sendNext = (): void => {
      timer = setTimeout(() => settle(() => reject(new Error(`no answer to request ${answers.length + 1} within ${timeoutMs} ms`))), timeoutMs);
      socket.write(requests[answers.length]!);
    };
    socket.on('connect', sendNext);
    socket.on('data', (chunk) => {
      received = Buffer.concat([received, chunk]);
      const headEnd = received.indexOf('\r\n\r\n');
      if (headEnd < 0) return;
      const length = /^content-length: *(\d+)\r?$/im.exec(received.subarray(0, headEnd).toString('latin1'))?.[1];
      if (length === undefined) return settle(() => reject(new Error(`answer ${answers.length + 1} has no Content-Length`)));
      const end = headEnd + 4 + Number(length);
      if (received.length < end) return;
      answers.push(answerOf(received.subarray(0, end).toString('utf8')));
      received = received.subarray(end);
      clearTimeout(timer);
      lastAnswerAt = Date.now();
      if (answers.length === requests.length) return settle(() => resolve(answers));
      timer = setTimeout(sendNext, options.idleMs);
    });
    // What matters is that the connection closed, reported below.
    socket.on('error', () => undefined);
    socket.on('close', () => settle(() => reject(new Error(`the server closed the connection ${Date.now() - lastAnswerAt} ms after answer ${answers.length} of ${requests.length}`))));
  });
}

/** A complete HTTP/1.1 request that asks the server to close the connection after answering. */
export function httpRequest(method: string, path: string, headers: ReadonlyArray<string>, body = ''): string {
  const lines = [`${method} ${path} HTTP/1.1`, 'Host: 127.0.0.1', 'Connection: close', ...headers];
  if (body !== '') lines.push(`Content-Length: ${Buffer.byteLength(body)}`);
  return `${lines.join('\r\n')}\r\n\r\n${body}`;
}
