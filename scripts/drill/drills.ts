import type { Fault } from '../../apps/simulator/src/faults/fault-rules';
import type { KillableProcess } from './drill-stack';
import type { Drill, DrillContext, DrillScenario } from './drill';
import type { TemporalChoice } from '../lib/stack/temporal-choice';
import { rolloutDrill } from './rollout-drill';
import { ORDER_READ_ROUTE } from './simulator-controls';

/** `how` names the stack's way of killing the process, for the log. */
const killDrill = (name: KillableProcess, description: string, how = 'kill -9'): Drill => ({
  name: `kill-${name}`,
  description,
  disrupt: async (context) => {
    // Somewhere in the middle, with keys in every phase: new, mid-call, waiting to retry, answered.
    await sleep(context.loadMs * (0.25 + Math.random() * 0.35));
    context.log.events.push(`+${context.elapsed()} s ${how} ${name}`);
    const killedAt = Date.now();
    await context.stack.killAndRestart(name, context.downMs);
    context.log.events.push(`+${context.elapsed()} s ${name} restarted`);
    const ready = await context.stack.waitUntilReady(context.recoveryTimeoutMs);
    context.log.recoverySeconds = ready === null ? null : round((Date.now() - killedAt) / 1000);
    context.log.events.push(ready === null ? `API or worker not ready ${context.recoveryTimeoutMs / 1000} s after the kill` : `+${context.elapsed()} s API and worker ready`);
  },
});

/** Fault bursts at random moments of the load; each burst takes the next `burstSize` process calls. */
const faultDrill = (name: string, description: string, faults: (context: DrillContext) => readonly Fault[]): Drill => ({
  name,
  description,
  disrupt: async (context) => {
    const moments = Array.from({ length: context.faultBursts }, () => context.loadMs * (0.05 + Math.random() * 0.75)).sort((a, b) => a - b);
    const started = Date.now();
    for (const moment of moments) {
      await sleep(moment - (Date.now() - started));
      const burst = faults(context);
      for (const fault of burst) await context.simulator.injectProcessFault(fault, Math.ceil(context.burstSize / burst.length));
      context.log.events.push(`+${context.elapsed()} s ${burst.map((fault) => describeFault(fault)).join(' + ')} × ${context.burstSize}`);
    }
  },
});

const serverErrors = [500, 502, 503, 504] as const;

export const drills: readonly Drill[] = [
  killDrill('worker', 'kill -9 a worker under load, start a new one'),
  killDrill('api', 'kill -9 an API under load, start a new one'),
  killDrill('temporal', 'kill -9 the Temporal server under load, restart it on the same store (the dev server: its database file)'),
  {
    ...killDrill('postgres', "PostgreSQL's immediate shutdown under load (no checkpoint, as a crash), started again on its data", 'immediate shutdown of'),
    only: 'postgres',
  },
  faultDrill('upstream-5xx', 'bursts of 500/502/503/504 from the upstream, without acting', () => [
    { type: 'respond', status: serverErrors[Math.floor(Math.random() * serverErrors.length)] ?? 503 },
  ]),
  faultDrill('upstream-timeouts', 'the upstream hangs, or acts only after the attempt timed out', (context) => [
    { type: 'hang' },
    { type: 'delay', ms: context.attemptTimeoutMs + 1_000 },
  ]),
  faultDrill('upstream-429', 'bursts of 429 with Retry-After: 1, without acting', () => [{ type: 'respond', status: 429, headers: { 'Retry-After': '1' } }]),
  faultDrill('dropped-connections', 'the upstream closes connections without acting', () => [{ type: 'drop' }]),
  faultDrill('lost-responses', 'the upstream acts, then closes the connection instead of answering', () => [{ type: 'lose_response' }]),
  // Last: it leaves the stack on another build.
  rolloutDrill,
];

/** When a long outage begins in its drill's load, and how much longer than the retry budget it lasts. */
const OUTAGE_STARTS_MS = 2_000;
const OUTAGE_PER_BUDGET = 2.5;
/** How late an operator pauses after the outage began, as one reacting to an alert would. */
const PAUSE_AFTER_MS = 1_000;
/** As good as "every write until the outage ends", when faults are cleared. */
const OUTAGE_CALLS = 1_000_000;
/** The width of the window in which the give-up reads' largest cluster is counted. */
const READ_CLUSTER_MS = 250;

/**
 * The upstream down for longer than the retry budget, then back. The first `burstSize` writes of
 * the outage act and lose their answer (their runs settle by reading the order), every other
 * answers 503. Without a pause, runs give up (500, key freed; the checkout's retry of the same key
 * is answered once the upstream is back), and their give-up reads are measured for how spread they
 * are; paused from a second into the outage until it ends, no run may give up at all.
 */
const outageDrill = (paused: boolean): Drill => ({
  name: paused ? 'long-outage-paused' : 'long-outage',
  description: paused
    ? "the upstream down for 2.5 × the retry budget, the merchant's attempts paused by an operator during it, then resumed"
    : 'the upstream down for 2.5 × the retry budget, then back',
  scenario: 'long-outage',
  disrupt: async (context) => {
    const outageMs = context.retryBudgetMs * OUTAGE_PER_BUDGET;
    await sleep(OUTAGE_STARTS_MS);
    const downAt = Date.now();
    await context.simulator.injectProcessFault({ type: 'lose_response' }, context.burstSize);
    await context.simulator.injectProcessFault({ type: 'respond', status: 503 }, OUTAGE_CALLS);
    context.log.events.push(`+${context.elapsed()} s upstream down: lose_response × ${context.burstSize}, then respond 503`);
    if (paused) {
      await sleep(PAUSE_AFTER_MS);
      await context.stack.setUpstreamPause(true, 'drill: upstream outage');
      context.log.events.push(`+${context.elapsed()} s merchant paused`);
    }
    await sleep(downAt + outageMs - Date.now());
    await context.simulator.clearFaults();
    context.log.events.push(`+${context.elapsed()} s upstream back`);
    if (paused) {
      await context.stack.setUpstreamPause(false, 'drill: upstream back');
      context.log.events.push(`+${context.elapsed()} s merchant resumed`);
    }
    // Runs that began in the outage's last moments give up within a budget of its end.
    await sleep(context.retryBudgetMs);
    const reads = (await context.simulator.callsOf(ORDER_READ_ROUTE)).map((entry) => Date.parse(entry.time)).filter((time) => time >= downAt);
    context.log.events.push(describeReads(reads));
    const wrong = paused ? reads.length > 0 : reads.length === 0;
    if (wrong) context.log.problems = [paused ? `${reads.length} give-up read(s) while paused` : 'no run gave up: the outage did not outlast the budget'];
  },
});

/** How the give-up reads were spread: all at once would mean every run gave up together. */
function describeReads(times: readonly number[]): string {
  if (times.length === 0) return 'give-up reads: none';
  const sorted = [...times].sort((a, b) => a - b);
  const spreadSeconds = ((sorted.at(-1) ?? 0) - (sorted[0] ?? 0)) / 1000;
  let cluster = 0;
  for (let first = 0, last = 0; last < sorted.length; last += 1) {
    while ((sorted[last] ?? 0) - (sorted[first] ?? 0) >= READ_CLUSTER_MS) first += 1;
    cluster = Math.max(cluster, last - first + 1);
  }
  return `give-up reads: ${sorted.length} over ${round(spreadSeconds)} s, at most ${cluster} within ${READ_CLUSTER_MS} ms`;
}

/** Drills that run only when named (`--scenario`), with the settings of their scenario. */
export const scenarioDrills: readonly Drill[] = [outageDrill(false), outageDrill(true)];

/** A scenario's settings: a budget the drill can outlast, and a load long enough to hold the outage and its end. */
export const scenarios: Readonly<Record<DrillScenario, { loadSeconds: number; apiEnvironment: Readonly<Record<string, string>> }>> = {
  'long-outage': { loadSeconds: 20, apiEnvironment: { UPSTREAM_RETRY_BUDGET_MS: '4000' } },
};

/** The drills a run on `temporal` can do, in their order. */
export function drillNamesOn(temporal: TemporalChoice): string[] {
  return drills.filter((drill) => drill.only === undefined || drill.only === temporal).map((drill) => drill.name);
}

/** Every drill a run may name, scenarios' included. */
export const allDrills: readonly Drill[] = [...drills, ...scenarioDrills];

/** The drills a run in `mode` on `temporal` does when `--only` names none. */
export function defaultDrillNames(temporal: TemporalChoice, mode: 'quick' | 'full'): string[] {
  const available = drillNamesOn(temporal);
  return mode === 'full' ? available : available.filter((name) => drills.find((drill) => drill.name === name)?.notInQuick !== true);
}

function describeFault(fault: Fault): string {
  switch (fault.type) {
    case 'respond':
      return `respond ${fault.status}`;
    case 'delay':
      return `delay ${fault.ms} ms`;
    case 'hang':
    case 'drop':
    case 'lose_response':
      return fault.type;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
