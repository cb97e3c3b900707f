import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import type { Request } from 'express';
import { ApiProblemException } from '../problems/api-problem';
import { hasAmbiguousAuthorization } from './authorization-header';
import { ClientAuthenticator, type Caller } from './client-authenticator';

/** A request that passed the guard, tagged with the client that sent it and that client's merchant. */
export interface AuthenticatedRequest extends Request, Caller {}

/** Rejects requests without a known bearer token before any validation or Temporal call. */
@Injectable()
export class BearerAuthGuard implements CanActivate {
  constructor(private readonly authenticator: ClientAuthenticator) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<Request & Partial<AuthenticatedRequest>>();
    const caller = judgedCallerOf(this.authenticator, request);
    if (caller === null) throw new ApiProblemException('unauthorized');
    request.clientId = caller.clientId;
    request.merchant = caller.merchant;
    return true;
  }
}

/**
 * The judgements of requests the replay front (replay-front.ts) made and then left to Nest (a new
 * payment): the guard reuses them, so no token is digested twice. Weak, so an entry goes with its
 * request; only requests the front declines are entered, not the replays it answers itself.
 */
const judgedByTheFront = new WeakMap<IncomingMessage, Caller | null>();

/**
 * The caller a request's credentials name, or null when they name nobody (or are ambiguous): the
 * guard's judgement, which the replay front makes the same way before Nest.
 */
export function callerOf(authenticator: ClientAuthenticator, request: IncomingMessage): Caller | null {
  return hasAmbiguousAuthorization(request) ? null : authenticator.authenticate(request.headers.authorization);
}

/** The front's judgement of a request it leaves to Nest, for the guard to reuse. */
export function leaveJudged(request: IncomingMessage, caller: Caller | null): void {
  judgedByTheFront.set(request, caller);
}

/** callerOf, once per request: the front's judgement when it made one. */
function judgedCallerOf(authenticator: ClientAuthenticator, request: IncomingMessage): Caller | null {
  const judged = judgedByTheFront.get(request);
  return judged === undefined ? callerOf(authenticator, request) : judged;
}
