import { createSimulatorOrder } from '../lib/simulator-orders';
import type { DocumentedAnswer } from './answers';
import { payOrder, type KeyRecord } from './checkout';
import type { DrillStack } from './drill-stack';

export interface LoadSettings {
  /** Checkouts paying at once; each starts a new key as soon as its previous one has an answer. */
  lanes: number;
  loadMs: number;
  /** How long one key's checkout keeps trying; bounds the settle phase after the load. */
  keyDeadlineMs: number;
  requestTimeoutMs: number;
}

/** One key in ten pays with a card that is declined, so declines go through every drill too. */
const DECLINED_SHARE = 0.1;

/**
 * Checkouts that start new keys during `loadMs`, each for an order of its own, then finish the
 * keys they hold (each within its deadline). Resolves with every key's record.
 */
export async function runCheckouts(stack: DrillStack, drillName: string, settings: LoadSettings): Promise<KeyRecord[]> {
  const records: KeyRecord[] = [];
  const loadEnd = Date.now() + settings.loadMs;
  const lane = async (laneNumber: number) => {
    for (let sequence = 0; Date.now() < loadEnd; sequence += 1) {
      const record = await newKey(stack, `${drillName}-${laneNumber}-${sequence}`, Math.random() < DECLINED_SHARE);
      records.push(record);
      await payOrder(stack, record, Date.now() + settings.keyDeadlineMs, settings.requestTimeoutMs);
    }
  };
  await Promise.all(Array.from({ length: settings.lanes }, (_, laneNumber) => lane(laneNumber)));
  return records;
}

/** A key with an order of its own, created in the simulator as a checkout creates one before paying. */
export async function newKey(stack: DrillStack, key: string, declined: boolean): Promise<KeyRecord> {
  const orderId = await createSimulatorOrder({
    baseUrl: stack.simulatorUrl,
    accessToken: stack.merchantToken,
    cardholder: declined ? 'OTHE' : 'APRO',
    processingMode: 'manual',
  });
  const expected: DocumentedAnswer = declined ? '402 failed' : '200 order';
  return { key, orderId, expected, requests: 0, answers: {}, final: null };
}
