/**
 * Processes that serve a request, as opposed to the load generator and the rest of the machine.
 * The floor sits idle during the orchestrator's steps and the API and worker during the
 * floor's, so counting all of them gives each row the CPU of the system it measured.
 */
const STACK_PROCESSES = ['temporal', 'temporal-server', 'postgres', 'worker', 'api', 'simulator', 'floor'];

/** What a step's CPU per request is read from (a bench ScenarioResult has it). */
export interface StepCpu {
  requests: number;
  elapsedSeconds: number;
  /** Average cores each process kept busy during the step. */
  coresBusy: Record<string, number>;
}

/**
 * CPU the stack (Temporal, worker, API, simulator) spent per answered request: what bounds
 * throughput on a saturated machine, and far less sensitive than latency to load from elsewhere.
 */
export function stackCpuMsPerRequest(scenario: StepCpu): number {
  if (scenario.requests === 0) return 0;
  const cores = STACK_PROCESSES.reduce((total, name) => total + (scenario.coresBusy[name] ?? 0), 0);
  return Math.round(((cores * scenario.elapsedSeconds * 1000) / scenario.requests) * 10) / 10;
}

/** The middle value (the mean of the two middle ones for an even count), in hundredths. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const value = sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
  return hundredths(value);
}

/** The smallest and the largest value, as "min–max". */
export function spread(values: readonly number[]): string {
  return `${Math.min(...values)}–${Math.max(...values)}`;
}

/** Two decimals: the ratios sit near 1, where a tenth is a large difference. */
export function hundredths(value: number): number {
  return Math.round(value * 100) / 100;
}
