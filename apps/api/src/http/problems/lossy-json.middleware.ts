import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiProblemException } from './api-problem';
import { hasLossyNumber } from './lossy-numbers';

/**
 * Refuses a JSON body with a number that would reach the upstream changed (lossy-numbers.ts), as
 * it arrives and before authentication, like a body that does not parse. It reads the bytes the
 * JSON parser kept (json-body.ts), after that parser accepted them as UTF-8.
 */
export function refuseLossyJson(request: IncomingMessage & { rawBody?: Buffer }, _response: ServerResponse, next: (error?: unknown) => void): void {
  const text = request.rawBody?.toString('utf8');
  next(text !== undefined && hasLossyNumber(text) ? new ApiProblemException('unrepresentable_number') : undefined);
}
