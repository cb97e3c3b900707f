import { createSimulatorOrder } from '../lib/simulator-orders';
import type { BenchStack } from './bench-stack';
import { mapWithConcurrency } from '../../libs/payment-worker/src/map-with-concurrency';

/** Order creation is two simulator calls; a few in flight fill the gaps without loading the machine. */
const CREATION_CONCURRENCY = 16;

/**
 * Orders ready to be processed (manual mode, an approved test card), created before a step starts
 * so their cost is never measured.
 */
export function createOrders(stack: BenchStack, count: number): Promise<string[]> {
  const access = { baseUrl: stack.simulatorUrl, accessToken: stack.merchantToken };
  return mapWithConcurrency(Array.from({ length: count }), CREATION_CONCURRENCY, () => createSimulatorOrder({ ...access, cardholder: 'APRO', processingMode: 'manual' }));
}

interface JournalEntries {
  entries: { effect: boolean }[];
}

/** How many times the simulator really processed an order, from its journal. */
export async function processingEffects(stack: BenchStack, orderId: string): Promise<number> {
  const query = new URLSearchParams({ order_id: orderId, route: '/v1/orders/{id}/process' });
  const response = await fetch(`${stack.simulatorUrl}/__simulator/journal?${query.toString()}`);
  if (!response.ok) throw new Error(`the simulator's journal answered ${response.status}`);
  const journal = (await response.json()) as JournalEntries;
  return journal.entries.filter((entry) => entry.effect).length;
}
