/** fetch hides the socket error under `cause`; operators need its code (ECONNREFUSED, ECONNRESET, …). */
export function describeNetworkError(error: unknown): string {
  if (!(error instanceof Error)) return 'network error';
  const cause: unknown = error.cause;
  if (cause instanceof Error && 'code' in cause && typeof cause.code === 'string') return `network error: ${cause.code}`;
  return `network error: ${error.message}`;
}
