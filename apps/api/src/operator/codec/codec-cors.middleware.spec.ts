import type { Request, Response } from 'express';
import { loadApiConfig } from '../../api-config';
import { apiConfigSections, OPERATOR_SECTION } from '../../api-config-sections';
import { CodecCorsMiddleware } from './codec-cors.middleware';

const UI = 'http://127.0.0.1:8233';

/** Runs the middleware on a request and records what it did to the response. */
function run(method: string, origin: string | undefined) {
  const middleware = new CodecCorsMiddleware(
    apiConfigSections(loadApiConfig({ UPSTREAM_ACCESS_TOKEN: 'x', API_TOKENS: 'checkout:a', CODEC_ALLOWED_ORIGINS: `${UI},https://ui.example` }))[OPERATOR_SECTION],
  );
  const headers: Record<string, string> = {};
  const varied: string[] = [];
  let status: number | null = null;
  const response = {
    setHeader: (name: string, value: string) => void (headers[name] = value),
    vary: (field: string) => void varied.push(field),
    status: (code: number) => {
      status = code;
      return { end: () => undefined };
    },
  } as unknown as Response;
  const next = jest.fn<void, []>();
  middleware.use({ method, headers: origin === undefined ? {} : { origin } } as Request, response, next);
  return { headers, varied, status, passedOn: next.mock.calls.length === 1 };
}

describe('CodecCorsMiddleware', () => {
  it('answers an allowed origin’s preflight with credentials, methods and headers', () => {
    expect(run('OPTIONS', UI)).toEqual({
      headers: {
        'Access-Control-Allow-Origin': UI,
        'Access-Control-Allow-Credentials': 'true',
        'Access-Control-Allow-Methods': 'POST',
        'Access-Control-Allow-Headers': 'Authorization, Content-Type, X-Namespace',
        'Access-Control-Max-Age': '600',
      },
      varied: ['Origin'],
      status: 204,
      passedOn: false,
    });
  });

  it('grants an allowed origin’s requests and passes them on', () => {
    expect(run('POST', 'https://ui.example')).toMatchObject({
      headers: { 'Access-Control-Allow-Origin': 'https://ui.example', 'Access-Control-Allow-Credentials': 'true' },
      passedOn: true,
    });
  });

  it.each([['http://localhost:8233'], ['http://127.0.0.1:8234'], ['null'], [undefined]])('grants nothing to origin %p', (origin) => {
    expect(run('OPTIONS', origin)).toEqual({ headers: {}, varied: ['Origin'], status: 204, passedOn: false });
    expect(run('POST', origin)).toEqual({ headers: {}, varied: ['Origin'], status: null, passedOn: true });
  });
});
