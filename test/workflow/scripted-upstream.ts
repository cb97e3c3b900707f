import type { PaymentWriteResult, UpstreamAttempt, UpstreamRequest } from '@app/contracts';

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

/**
 * Scripted activity: answers from the list in order (the last step repeats), recording each
 * request and the server's time of it.
 */
export function scriptedUpstream(script: readonly ScriptStep[], serverTimeMs: () => Promise<number>) {
  const calls: UpstreamCall[] = [];
  return {
    calls,
    sendUpstreamRequest: async (request: UpstreamRequest): Promise<UpstreamAttempt> => {
      calls.push({ request, at: await serverTimeMs() });
      const next = script[Math.min(calls.length, script.length) - 1]!;
      if (next instanceof Error) throw next;
      if ('afterMs' in next) return new Promise((resolve) => setTimeout(() => resolve(next.answer), next.afterMs));
      return next;
    },
  };
}
