import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { ApiProblemException } from '../http/api-problem';
import { hasAmbiguousAuthorization } from './authorization-header';
import { ClientAuthenticator } from './client-authenticator';

/** A request that passed the guard, tagged with the client that sent it. */
export interface AuthenticatedRequest extends Request {
  clientId: string;
}

/** Rejects requests without a known bearer token before any validation or Temporal call. */
@Injectable()
export class BearerAuthGuard implements CanActivate {
  constructor(private readonly authenticator: ClientAuthenticator) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<Request & Partial<AuthenticatedRequest>>();
    const clientId = hasAmbiguousAuthorization(request) ? null : this.authenticator.authenticate(request.headers.authorization);
    if (clientId === null) throw new ApiProblemException('unauthorized');
    request.clientId = clientId;
    return true;
  }
}
