import { mapWithConcurrency } from '../../libs/payment-worker/src/map-with-concurrency';
import { sendProcess, type CheckoutTarget, type KeyRecord } from './checkout';

const REPLAY_CONCURRENCY = 8;

/**
 * Sends every answered key's request once more, after the drill: the documented replay is the same
 * status and the same body byte for byte, with Idempotent-Replayed: true. Returns the keys whose
 * replay differed (or failed), with what came back.
 */
export async function differingReplays(target: CheckoutTarget, records: readonly KeyRecord[], timeoutMs: number): Promise<string[]> {
  const answered = records.filter((record) => record.final !== null);
  const problems = await mapWithConcurrency(answered, REPLAY_CONCURRENCY, (record) => replayProblem(target, record, timeoutMs));
  return problems.filter((problem): problem is string => problem !== null);
}

/** Sends an answered key's request again: null when the replay matched its first final answer, else what differed. */
export async function replayProblem(target: CheckoutTarget, record: KeyRecord, timeoutMs: number): Promise<string | null> {
  try {
    const response = await sendProcess(target, record, timeoutMs);
    const body = await response.text();
    const same = response.status === record.final?.status && body === record.final.body && response.headers.get('idempotent-replayed') === 'true';
    return same ? null : `${record.key}: replay answered ${response.status} (replayed: ${response.headers.get('idempotent-replayed')}), first ${record.final?.status}`;
  } catch (error) {
    return `${record.key}: replay failed (${error instanceof Error ? error.message : String(error)})`;
  }
}
