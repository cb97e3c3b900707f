import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { hasAmbiguousAuthorization } from '../../http/auth/authorization-header';
import { ApiProblemException } from '../../http/problems/api-problem';
import { OperatorAuthenticator } from './operator-authenticator';

/** A codec request that passed the guard, tagged with the operator who sent it. */
export interface OperatorRequest extends Request {
  operator: string;
}

/** Lets only operators reach the codec: a wrong bearer token is refused even with a valid cookie. */
@Injectable()
export class OperatorAuthGuard implements CanActivate {
  constructor(private readonly authenticator: OperatorAuthenticator) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<Request & Partial<OperatorRequest>>();
    const operator = hasAmbiguousAuthorization(request) ? null : this.authenticator.authenticate(request.headers);
    if (operator === null) throw new ApiProblemException('unauthorized');
    request.operator = operator;
    return true;
  }
}
