import { types } from 'node:util';

/**
 * The socket error's code (ECONNREFUSED, ECONNRESET, …), which operators need: fetch hides it
 * under `cause`, node:http (the callbacks) puts it on the error itself. Node's own errors are
 * recognised whatever realm made them (a test's sandbox has an `Error` of its own).
 */
export function describeNetworkError(error: unknown): string {
  if (!types.isNativeError(error)) return 'network error';
  const cause: unknown = error.cause;
  if (types.isNativeError(cause) && 'code' in cause && typeof cause.code === 'string') return `network error: ${cause.code}`;
  if ('code' in error && typeof error.code === 'string') return `network error: ${error.code}`;
  return `network error: ${error.message}`;
}
