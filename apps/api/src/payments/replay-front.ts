import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { Injectable, Logger, RequestMethod, type Type } from '@nestjs/common';
import { GUARDS_METADATA, INTERCEPTORS_METADATA, METHOD_METADATA, PATH_METADATA, PIPES_METADATA } from '@nestjs/common/constants';
import { checkIdempotencyKey, IDEMPOTENCY_KEY_HEADER, type PaymentOperation } from '@app/contracts';
import { BearerAuthGuard, callerOf, leaveJudged } from '../http/auth/bearer-auth.guard';
import { ClientAuthenticator, type Caller } from '../http/auth/client-authenticator';
import { dialectForPath } from '../http/dialects/dialect-for-path';
import { answerError } from '../http/dialects/problem-exception.filter';
import { send } from '../http/problems/http-answer';
import { admitCaller, ClientQuotaGuard } from '../http/quotas/client-quota.guard';
import { ClientQuotas } from '../http/quotas/client-quotas';
import { RequestTelemetry } from '../http/telemetry/request-telemetry';
import { UNMATCHED_ROUTE } from '../http/telemetry/route-label';
import { PaymentRuns } from '../payment-runs/payment-runs.service';
import { AdvancedPaymentsController } from './advanced-payments.controller';
import { PAYMENT_WRITE_METADATA } from './documented-writes';
import { IdempotentWrites, type WriteRequest } from './idempotent-writes.service';
import { OrderWritesController } from './order-writes.controller';
import { paymentWrites, type PaymentWriteDeclaration } from './payment-write-declarations';

/** A middleware of the checkout app that runs before its routes (the JSON body parser, the lossy-number check). */
export type RequestMiddleware = (request: IncomingMessage, response: ServerResponse, next: (error?: unknown) => void) => void;

/** A payment write route, as Nest registers it from its controller. */
interface WriteRoute {
  /** Its template, as Express reports it and the metrics label it (`/v1/orders/:orderId/process`). */
  template: string;
  /** Matches a plain path to it, case-insensitively like Express; the group is the order id. */
  pattern: RegExp;
  declaration: PaymentWriteDeclaration;
}

/**
 * Only a plain origin-form path of RFC 3986 path characters, without percent-encoding: Express reads
 * it as it is. A query, an encoded or undecodable segment (replaceUndecodableSegments), a fragment
 * or anything else Express's URL parsing would read differently is Nest's.
 */
const PLAIN_TARGET = /^\/[\w\-.~!$&'()*+,;=:@/]*$/;

const logger = new Logger('ReplayFront');

/**
 * Serves a remembered answer (docs/architecture.md, "The replay front") before Express and Nest
 * see the request, which cost several times the answer itself (BENCHMARKS.md, issue 26). It takes
 * a request only once it knows, without side effects, that the answer memory holds the key of the
 * caller's merchant for a payment write route: a POST to a plain path of such a route, with a Host,
 * credentials naming a client, and a valid idempotency key. Everything else goes to Nest untouched.
 *
 * A request it takes gets the very checks and answers of the Nest path, from the same functions:
 * the telemetry (request id, span, metrics, access line), the app's body parser and lossy-number
 * check, the bearer guard's judgement, the quota guard, the write's own validation and memory
 * lookup (IdempotentWrites.perform, the route handler's one call) and the exception filter's
 * answers, in the order Nest runs them. Should the remembered answer expire between the check and
 * the lookup, perform goes on to Temporal as the route would.
 */
@Injectable()
export class ReplayFront {
  private readonly routes: readonly WriteRoute[] = REPLAYED_CONTROLLERS.flatMap(writeRoutesOf);
  private middlewares: readonly RequestMiddleware[] = [];

  constructor(
    private readonly authenticator: ClientAuthenticator,
    private readonly quotas: ClientQuotas,
    private readonly runs: PaymentRuns,
    private readonly writes: IdempotentWrites,
    private readonly telemetry: RequestTelemetry,
  ) {}

  /**
   * Puts the front before the server's one request listener (the checkout app's Express), with the
   * middlewares the app runs before its routes, in its order. The route templates must be the ones
   * Express registered (`registeredPosts`), so the metrics label a request the same on either path.
   */
  install(server: Server, middlewares: readonly RequestMiddleware[], registeredPosts: ReadonlySet<string>): void {
    for (const controller of REPLAYED_CONTROLLERS) checkReplayedPipeline(controller);
    const unregistered = this.routes.filter((route) => !registeredPosts.has(route.template));
    if (unregistered.length > 0) throw new Error(`replay front: routes not registered by the app: ${unregistered.map((route) => route.template).join(', ')}`);
    const listeners = server.listeners('request') as Array<(request: IncomingMessage, response: ServerResponse) => void>;
    const framework = listeners[0];
    if (framework === undefined || listeners.length !== 1) throw new Error(`replay front: expected the app's one request listener, found ${listeners.length}`);
    this.middlewares = middlewares;
    server.removeListener('request', framework);
    server.on('request', (request: IncomingMessage, response: ServerResponse) => {
      if (!this.tryAnswer(request, response)) framework.call(server, request, response);
    });
  }

  /** Whether the front took the request (and will answer it); false leaves it untouched for Nest. */
  tryAnswer(request: IncomingMessage, response: ServerResponse): boolean {
    const path = request.url ?? '';
    if (request.method !== 'POST' || request.headers.host === undefined || !PLAIN_TARGET.test(path)) return false;
    const match = this.match(path);
    if (match === null) return false;
    const caller = callerOf(this.authenticator, request);
    const key = request.headers[IDEMPOTENCY_KEY_HEADER];
    if (caller === null || typeof key !== 'string' || checkIdempotencyKey(key) !== 'valid' || !this.runs.remembers(caller.merchant, key)) {
      leaveJudged(request, caller);
      return false;
    }
    // A request the middlewares refuse never reaches its route in Express either: it is counted unmatched.
    let routed = false;
    this.telemetry.observe(
      request,
      response,
      () => (routed ? match.route.template : UNMATCHED_ROUTE),
      () =>
        this.answer(Object.assign(request, caller), response, path, match.route.declaration, match.orderId, () => {
          routed = true;
        }),
    );
    return true;
  }

  private match(path: string): { route: WriteRoute; orderId: string | null } | null {
    for (const route of this.routes) {
      const found = route.pattern.exec(path);
      if (found !== null) return { route, orderId: found[1] ?? null };
    }
    return null;
  }

  /** Nest's order: the middlewares, the guards (the caller is already known: only the quota remains), the handler. */
  private answer(request: FrontRequest, response: ServerResponse, path: string, declaration: PaymentWriteDeclaration, orderId: string | null, reachedRoute: () => void): void {
    // Every error is contained here, as Express's router and Nest's filter contain it on their path:
    // a throw would otherwise escape through the body parser's `next` into a stream handler, an
    // uncaught exception that stops the API. Should even the error's answer fail (the headers went
    // out already), the connection is dropped: the client sees it end, never a hung request.
    const fail = (error: unknown): void => {
      try {
        answerError(error, dialectForPath(path), response);
      } catch (unanswerable) {
        logger.error(`could not answer an error, dropping the connection: ${unanswerable instanceof Error ? (unanswerable.stack ?? unanswerable.message) : String(unanswerable)}`);
        response.destroy();
      }
    };
    const proceed = (index: number) => (error?: unknown) => {
      if (error !== undefined) return fail(error);
      const middleware = this.middlewares[index];
      if (middleware !== undefined) {
        try {
          middleware(request, response, proceed(index + 1));
        } catch (thrown) {
          fail(thrown);
        }
        return;
      }
      reachedRoute();
      admitCaller(this.quotas, request)
        .then(() => this.writes.perform(declaration, request, orderId))
        .then((answer) => send(response, answer))
        .catch(fail);
    };
    proceed(0)();
  }
}

/** The controllers of the payment writes the front answers. */
const REPLAYED_CONTROLLERS: readonly Type[] = [OrderWritesController, AdvancedPaymentsController];

/** The guards the front replays (`answer`: callerOf, then admitCaller), in Nest's order. */
const REPLAYED_GUARDS: readonly Type[] = [BearerAuthGuard, ClientQuotaGuard];

/**
 * Refuses to start when a replayed controller's Nest pipeline is not the one the front replays:
 * exactly its guards on the controller, and no guard, interceptor or pipe of its own on the
 * controller or a write handler. A guard or interceptor added to the route would otherwise be
 * skipped silently for every replayed request.
 */
export function checkReplayedPipeline(controller: Type): void {
  const guards = (Reflect.getMetadata(GUARDS_METADATA, controller) ?? []) as unknown[];
  const expected = REPLAYED_GUARDS.map((guard) => guard.name).join(', ');
  if (guards.length !== REPLAYED_GUARDS.length || guards.some((guard, index) => guard !== REPLAYED_GUARDS[index])) {
    throw new Error(`replay front: ${controller.name} must declare exactly the guards the front replays (${expected}), found ${guards.map(nameOf).join(', ') || 'none'}`);
  }
  const prototype = controller.prototype as Record<string, unknown>;
  const handlers = Object.getOwnPropertyNames(prototype).flatMap((name) => (typeof prototype[name] === 'function' && name !== 'constructor' ? [{ name, target: prototype[name] }] : []));
  for (const { name, target } of [{ name: controller.name, target: controller }, ...handlers]) {
    for (const [key, kind] of [
      [GUARDS_METADATA, 'guards'],
      [INTERCEPTORS_METADATA, 'interceptors'],
      [PIPES_METADATA, 'pipes'],
    ] as const) {
      if (kind === 'guards' && target === controller) continue;
      const declared = (Reflect.getMetadata(key, target) ?? []) as unknown[];
      if (declared.length > 0) throw new Error(`replay front: ${name} declares ${kind} the front does not replay (${declared.map(nameOf).join(', ')})`);
    }
  }
}

function nameOf(value: unknown): string {
  return typeof value === 'function' ? value.name : String(value);
}

/** A request the front took: tagged with its caller as the bearer guard tags it; the body parser adds the body. */
type FrontRequest = IncomingMessage & WriteRequest & Caller;

/** The payment write routes a controller declares (its handlers marked by DocumentedWrite), from Nest's own route metadata. */
function writeRoutesOf(controller: Type): WriteRoute[] {
  const base = Reflect.getMetadata(PATH_METADATA, controller) as string;
  const prototype = controller.prototype as Record<string, unknown>;
  return Object.getOwnPropertyNames(prototype).flatMap((name) => {
    const handler = prototype[name];
    if (typeof handler !== 'function') return [];
    const operation = Reflect.getMetadata(PAYMENT_WRITE_METADATA, handler) as PaymentOperation | undefined;
    if (operation === undefined) return [];
    if (Reflect.getMetadata(METHOD_METADATA, handler) !== RequestMethod.POST) throw new Error(`replay front: ${operation} is not a POST route`);
    const template = `/${base}/${Reflect.getMetadata(PATH_METADATA, handler) as string}`.replace(/\/+/g, '/').replace(/(.)\/$/, '$1');
    const segments = template.split('/').map((segment) => (segment.startsWith(':') ? '([^/]+)' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
    return [{ template, pattern: new RegExp(`^${segments.join('/')}$`, 'i'), declaration: paymentWrites[operation] }];
  });
}

/** The templates of the POST routes an Express app registered, as its requests' `route.path` gives them (route-label.ts). */
export function expressPostRoutes(app: unknown): ReadonlySet<string> {
  const { router } = app as { router: { stack: ReadonlyArray<{ route?: { path: unknown; methods: Record<string, boolean | undefined> } }> } };
  return new Set(router.stack.flatMap(({ route }) => (route?.methods.post === true && typeof route.path === 'string' ? [route.path] : [])));
}
