import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
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
    const caller = hasAmbiguousAuthorization(request) ? null : this.authenticator.authenticate(request.headers.authorization);
    if (caller === null) throw new ApiProblemException('unauthorized');
    request.clientId = caller.clientId;
    request.merchant = caller.merchant;
    return true;
  }
}
