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
    const caller = callerOf(this.authenticator, request);
    if (caller === null) throw new ApiProblemException('unauthorized');
    request.clientId = caller.clientId;
    request.merchant = caller.merchant;
    return true;
  }
}

/**
 * Each request's judgement, made once: a request the replay front (replay-front.ts) looked at and
 * left to Nest (a new payment) reaches this guard already judged, and its token is not digested
 * twice. Weak, so a request's entry goes with the request.
 */
const judged = new WeakMap<IncomingMessage, Caller | null>();

/**
 * The caller a request's credentials name, or null when they name nobody (or are ambiguous): the
 * guard's judgement, which the replay front makes the same way before Nest, once per request.
 */
export function callerOf(authenticator: ClientAuthenticator, request: IncomingMessage): Caller | null {
  const known = judged.get(request);
  if (known !== undefined) return known;
  const caller = hasAmbiguousAuthorization(request) ? null : authenticator.authenticate(request.headers.authorization);
  judged.set(request, caller);
  return caller;
}
