import type { Fault } from '../../apps/simulator/src/faults/fault-rules';
import type { JournalEntry } from '../../apps/simulator/src/journal/journal';

export const PROCESS_ROUTE = '/v1/orders/{id}/process';
/** `GET /v1/orders/{id}`: in a drill, only a run's give-up read asks it. */
export const ORDER_READ_ROUTE = '/v1/orders/{id}';

/** The simulator's `/__simulator` controls a drill needs: faults on the process route, and the journal. */
export class SimulatorControls {
  constructor(private readonly baseUrl: string) {}

  /** The next `times` process calls, of any order, meet `fault`. */
  async injectProcessFault(fault: Fault, times: number): Promise<void> {
    await this.control('POST', '/__simulator/faults', { match: { method: 'POST', route: PROCESS_ROUTE }, fault, times });
  }

  async clearFaults(): Promise<void> {
    await this.control('DELETE', '/__simulator/faults');
  }

  /** Every process call the simulator still remembers (its journal keeps the latest 100,000 calls). */
  processCalls(): Promise<JournalEntry[]> {
    return this.callsOf(PROCESS_ROUTE);
  }

  /** Every call of `route` the simulator still remembers. */
  async callsOf(route: string): Promise<JournalEntry[]> {
    const query = new URLSearchParams({ route });
    return (await this.control<{ entries: JournalEntry[] }>('GET', `/__simulator/journal?${query.toString()}`)).entries;
  }

  private async control<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`simulator ${method} ${path} answered ${response.status}: ${text}`);
    return JSON.parse(text) as T;
  }
}
