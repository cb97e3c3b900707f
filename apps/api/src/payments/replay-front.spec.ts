import { once } from 'node:events';
import { createServer, request as httpRequest, type IncomingMessage, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { JsonValue } from '@app/contracts';
import type { ClientAuthenticator } from '../http/auth/client-authenticator';
import type { ExecutionContext } from '@nestjs/common';
import type { HttpAnswer } from '../http/problems/http-answer';
import type { ClientQuotas } from '../http/quotas/client-quotas';
import type { RequestTelemetry } from '../http/telemetry/request-telemetry';
import type { PaymentRuns } from '../payment-runs/payment-runs.service';
import type { IdempotentWrites } from './idempotent-writes.service';
import { Controller, Injectable, Post, UseGuards, UseInterceptors, UsePipes, type CanActivate, type NestInterceptor, type PipeTransform } from '@nestjs/common';
import { BearerAuthGuard } from '../http/auth/bearer-auth.guard';
import { ClientQuotaGuard } from '../http/quotas/client-quota.guard';
import { AdvancedPaymentsController } from './advanced-payments.controller';
import { OrderWritesController } from './order-writes.controller';
import { checkReplayedPipeline, ReplayFront, type RequestMiddleware } from './replay-front';

const caller = { clientId: 'client-a', merchant: { name: 'merchant-a' } };

/** The framework behind the front, when a test does not say: Nest answers 404. */
const notFound: RequestListener = (_request, response) => response.writeHead(404).end();

/**
 * A front whose every request is one the answer memory holds (unless `remembers` says otherwise),
 * answered with `answer`; the rest go to `framework`.
 */
async function frontServer(
  middlewares: readonly RequestMiddleware[],
  answer: () => Promise<HttpAnswer>,
  { authenticator = { authenticate: () => caller } as unknown as ClientAuthenticator, remembers = true, framework = notFound } = {},
): Promise<Server> {
  const front = new ReplayFront(
    authenticator,
    { admitRequest: () => Promise.resolve() } as unknown as ClientQuotas,
    { remembers: () => remembers } as unknown as PaymentRuns,
    { perform: answer } as unknown as IdempotentWrites,
    { observe: (_request: unknown, _response: unknown, _route: unknown, next: () => void) => next() } as unknown as RequestTelemetry,
  );
  const server = createServer(framework);
  front.install(server, middlewares, { has: () => true } as unknown as ReadonlySet<string>);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return server;
}

/** A replayable process request: its status, or `dropped` when the connection ended without an answer. */
async function post(server: Server): Promise<number | 'dropped'> {
  const { port } = server.address() as AddressInfo;
  const sent = httpRequest({
    host: '127.0.0.1',
    port,
    method: 'POST',
    path: '/v1/orders/ORD01/process',
    headers: { authorization: 'Bearer token', 'x-idempotency-key': 'key-0001', 'content-type': 'application/json' },
  });
  sent.end('{}');
  try {
    const [response] = (await once(sent, 'response')) as [IncomingMessage];
    response.resume();
    await once(response, 'end');
    return response.statusCode ?? 0;
  } catch {
    return 'dropped';
  }
}

describe('ReplayFront', () => {
  const servers: Server[] = [];
  afterEach(() => Promise.all(servers.splice(0).map((server) => new Promise((closed) => server.close(closed)))));
  const serve = async (middlewares: readonly RequestMiddleware[], answer: () => Promise<HttpAnswer>, options?: Parameters<typeof frontServer>[2]) => {
    const server = await frontServer(middlewares, answer, options);
    servers.push(server);
    return server;
  };
  const ok = () => Promise.resolve({ status: 201, body: { id: 'ORD01' } });

  it('answers 500 when a middleware throws, instead of letting the throw escape the request listener', async () => {
    const throwing: RequestMiddleware = () => {
      throw new Error('middleware bug');
    };
    await expect(post(await serve([throwing], ok))).resolves.toBe(500);
  });

  it('answers 500 when writing the answer throws', async () => {
    const unserializable = () => Promise.resolve({ status: 201, body: { amount: 1n } as unknown as JsonValue });
    await expect(post(await serve([], unserializable))).resolves.toBe(500);
  });

  it("authenticates a request it leaves to Nest once: the bearer guard reuses the front's judgement", async () => {
    let authentications = 0;
    const authenticator = {
      authenticate: () => {
        authentications += 1;
        return caller;
      },
    } as unknown as ClientAuthenticator;
    const guard = new BearerAuthGuard(authenticator);
    // Nest's side: the guard, as the payment write routes run it, on the very request the front saw.
    const framework: RequestListener = (request, response) => {
      const allowed = guard.canActivate({ switchToHttp: () => ({ getRequest: () => request }) } as unknown as ExecutionContext);
      response.writeHead(allowed ? 201 : 401).end();
    };
    await expect(post(await serve([], ok, { authenticator, remembers: false, framework }))).resolves.toBe(201);
    expect(authentications).toBe(1);
  });

  it('drops the connection when even the error cannot be answered', async () => {
    const halfAnswered: RequestMiddleware = (_request, response, next) => {
      response.writeHead(200).flushHeaders();
      next(new Error('failed after the headers went out'));
    };
    await expect(post(await serve([halfAnswered], ok))).resolves.toBe('dropped');
  });
});

describe('checkReplayedPipeline', () => {
  @Injectable()
  class ExtraGuard implements CanActivate {
    canActivate(): boolean {
      return true;
    }
  }
  @Injectable()
  class ExtraInterceptor implements NestInterceptor {
    intercept(_context: never, next: { handle: () => never }): never {
      return next.handle();
    }
  }
  @Injectable()
  class ExtraPipe implements PipeTransform {
    transform(value: unknown): unknown {
      return value;
    }
  }

  @Controller('v1/orders')
  @UseGuards(BearerAuthGuard, ClientQuotaGuard, ExtraGuard)
  class ExtraGuardController {}

  @Controller('v1/orders')
  @UseGuards(ClientQuotaGuard)
  class MissingGuardController {}

  @Controller('v1/orders')
  @UseGuards(BearerAuthGuard, ClientQuotaGuard)
  class GuardedHandlerController {
    @Post()
    @UseGuards(ExtraGuard)
    guarded(): void {}
  }

  @Controller('v1/orders')
  @UseGuards(BearerAuthGuard, ClientQuotaGuard)
  class InterceptedHandlerController {
    @Post(':orderId/process')
    @UseInterceptors(ExtraInterceptor)
    intercepted(): void {}
  }

  @Controller('v1/orders')
  @UseGuards(BearerAuthGuard, ClientQuotaGuard)
  @UsePipes(ExtraPipe)
  class PipedController {}

  it('accepts the payment write controllers, whose guards are the ones the front replays', () => {
    expect(() => checkReplayedPipeline(OrderWritesController)).not.toThrow();
    expect(() => checkReplayedPipeline(AdvancedPaymentsController)).not.toThrow();
  });

  it('refuses a controller whose guards, interceptors or pipes the front would skip', () => {
    expect(() => checkReplayedPipeline(ExtraGuardController)).toThrow(
      'ExtraGuardController must declare exactly the guards the front replays (BearerAuthGuard, ClientQuotaGuard), found BearerAuthGuard, ClientQuotaGuard, ExtraGuard',
    );
    expect(() => checkReplayedPipeline(MissingGuardController)).toThrow('found ClientQuotaGuard');
    expect(() => checkReplayedPipeline(GuardedHandlerController)).toThrow('guarded declares guards the front does not replay (ExtraGuard)');
    expect(() => checkReplayedPipeline(InterceptedHandlerController)).toThrow('intercepted declares interceptors the front does not replay (ExtraInterceptor)');
    expect(() => checkReplayedPipeline(PipedController)).toThrow('PipedController declares pipes the front does not replay (ExtraPipe)');
  });
});
