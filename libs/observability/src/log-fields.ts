import { AsyncLocalStorage } from 'node:async_hooks';

/** Identifiers that tie a log line to a request, a payment and its run. Never payload data. */
export interface LogFields {
  requestId?: string;
  idempotencyKey?: string;
  orderId?: string;
  clientId?: string;
  /** The merchant whose namespace and credentials the request uses. */
  merchant?: string;
  operation?: string;
  workflowId?: string;
  runId?: string;
  /** How the idempotency key was settled (started, attached, replayed_remembered …). */
  runDecision?: string;
  /** Where the answer of a run started eagerly came from: `hosted_worker` or `temporal`. */
  resultFrom?: 'hosted_worker' | 'temporal';
  attempt?: number;
}

const storage = new AsyncLocalStorage<LogFields>();

/**
 * Runs `work` with `fields` as the current log fields. The object is shared, not copied: fields
 * learnt later in the request (the run id) also reach lines written once the request finishes.
 */
export function withLogFields<T>(fields: LogFields, work: () => T): T {
  return storage.run(fields, work);
}

/** Adds to the current request's fields; outside a request there is nothing to add to. */
export function addLogFields(fields: LogFields): void {
  const current = storage.getStore();
  if (current !== undefined) Object.assign(current, fields);
}

export function currentLogFields(): LogFields {
  return storage.getStore() ?? {};
}
