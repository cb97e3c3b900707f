import { randomUUID } from 'node:crypto';
import type { UpstreamRead, OrderReadRequest, PaymentWriteResult, UpstreamAttempt, UpstreamRequest } from '@app/contracts';
import { recordOrderOwner } from '@app/payment-worker';

/** A fresh order id per test: IDs of what a run starts beside it (follow-ups, ownership records) derive from it. */
export function newOrderId(): string {
  return `ORD01J49MMW3SSBK5PSV3D${randomUUID().replace(/-/g, '').slice(0, 6).toUpperCase()}`.padEnd(29, '0');
}

export const retryable = (status: number | null, retryAfterMs: number | null = null): UpstreamAttempt => ({
  kind: 'retryable',
  status,
  reason: status === null ? 'network error: ECONNRESET' : `HTTP ${status}`,
  retryAfterMs,
});

export const final = (status: number, body: PaymentWriteResult['body'] = { id: 'ORD01J49MMW3SSBK5PSV3DFR32959' }): UpstreamAttempt => ({
  kind: 'final',
  status,
  body,
});

/** What the worker answers, sending nothing, while an operator has paused the merchant (libs/payment-worker/src/payment-activities.service.ts). */
export const paused: UpstreamAttempt = { kind: 'paused', status: null, reason: 'upstream attempts paused by ops: upstream incident', retryAfterMs: null };

/** An answer that comes only after `afterMs` of real time: past the activity's timeout, the attempt is lost. */
interface LateAnswer {
  afterMs: number;
  answer: UpstreamAttempt;
}
export const late = (afterMs: number, answer: UpstreamAttempt): LateAnswer => ({ afterMs, answer });

export type ScriptStep = UpstreamAttempt | Error | LateAnswer;

export interface UpstreamCall {
  request: UpstreamRequest;
  /** The Temporal server's clock when the call came: skipped-to time on the time-skipping server. */
  at: number;
}

/** What a read of the scripted order shows by default: still `created`, so no write took effect. */
export const CREATED_ORDER_READ: UpstreamRead = { kind: 'read', status: 200, body: { id: 'ORD01J49MMW3SSBK5PSV3DFR32959', status: 'created', status_detail: 'created' } };

/** How order reads are answered: one read for all, or one step per read in order (the last repeats), an Error being a read lost (its activity failed). */
export type OrderReadScript = UpstreamRead | readonly (UpstreamRead | Error)[];

/**
 * Scripted activities: writes answered from the list in order (the last step repeats), recording
 * each request and the server's time of it; order reads answered from `orderRead`, recorded too.
 * Ownership records are started for real, by the worker's own activity, on the test's server.
 */
export function scriptedUpstream(script: readonly ScriptStep[], serverTimeMs: () => Promise<number>, orderRead: OrderReadScript = CREATED_ORDER_READ) {
  const readSteps = 'kind' in orderRead ? [orderRead] : orderRead;
  const calls: UpstreamCall[] = [];
  const reads: OrderReadRequest[] = [];
  return {
    calls,
    reads,
    recordOrderOwner,
    readUpstreamOrder: (request: OrderReadRequest): Promise<UpstreamRead> => {
      reads.push(request);
      const next = readSteps[Math.min(reads.length, readSteps.length) - 1]!;
      return next instanceof Error ? Promise.reject(next) : Promise.resolve(next);
    },
    readUpstreamAdvancedPayment: (): Promise<UpstreamRead> => Promise.reject(new Error('a payment run never reads an advanced payment: only its follow-up does')),
    sendUpstreamRequest: async (request: UpstreamRequest): Promise<UpstreamAttempt> => {
      calls.push({ request, at: await serverTimeMs() });
      const next = script[Math.min(calls.length, script.length) - 1]!;
      if (next instanceof Error) throw next;
      if ('afterMs' in next) return new Promise((resolve) => setTimeout(() => resolve(next.answer), next.afterMs));
      return next;
    },
  };
}
