import { writeResultFiles } from '../bench/result-files';
import { describeMachine } from '../bench/machine';
import { payOrder } from './checkout';
import { runsOfKeys, upstreamEvidence, workflowTaskFailures } from './drill-evidence';
import { newKey, runCheckouts } from './drill-load';
import { readDrillPlan, type DrillPlan } from './drill-plan';
import { evaluateDrill, type DrillResult, type DrillRunResult } from './drill-result';
import { DrillStack } from './drill-stack';
import { renderDrillTable, renderInvariants } from './drill-table';
import type { DisruptionLog, Drill } from './drill';
import { allDrills } from './drills';
import { differingReplays } from './replays';
import { SimulatorControls } from './simulator-controls';
import { runAgainstStack } from '../lib/supervised-run';
import { LAB_CLUSTER_DESCRIPTION } from '../lib/stack/temporal-choice';

/**
 * `npm run drill [-- --quick] [-- --only kill-worker,lost-responses | --scenario long-outage]`: starts a private stack with a
 * file-backed Temporal, runs each failure drill under load, checks the invariants, writes
 * artifacts/drill/latest.json and prints a table. Exits 1 when an invariant is broken.
 */
async function main(): Promise<void> {
  const plan = readDrillPlan(process.argv.slice(2), process.env);
  const startedAt = new Date();
  const machine = describeMachine();
  const configuration = describeConfiguration(plan);
  console.log(`Failure drills (${plan.mode}, Temporal: ${plan.temporal}) on ${machine.cpuCount} × ${machine.cpuModel}, Node ${machine.node}, ${machine.temporalCli}`);
  console.log(JSON.stringify(configuration, null, 2));

  const stack = await DrillStack.start(plan.apiEnvironment, plan.verbose, plan.temporal);
  const results = await runAgainstStack(
    stack,
    () => runAll(stack, plan),
    (reason) => `${reason}, and nobody killed it`,
  );

  const passed = results.length === plan.drills.length && results.every((result) => Object.values(result.invariants).every(Boolean));
  const result: DrillRunResult = { startedAt: startedAt.toISOString(), finishedAt: new Date().toISOString(), mode: plan.mode, machine, configuration, drills: results, passed };
  const file = writeResultFiles(plan.outputDirectory, result);
  console.log(`\n${renderDrillTable(results)}\n\n${renderInvariants(results)}\n`);
  for (const violation of results.flatMap((row) => row.violations.map((text) => `${row.drill}: ${text}`))) console.log(violation);
  if (results.length < plan.drills.length) console.log(`only ${results.length} of ${plan.drills.length} drills ran: the stack did not recover`);
  console.log(`Results written to ${file} (and latest.json beside it). ${passed ? 'All invariants held.' : 'INVARIANTS BROKEN.'}`);
  if (!passed) process.exitCode = 1;
}

async function runAll(stack: DrillStack, plan: DrillPlan): Promise<DrillResult[]> {
  const simulator = new SimulatorControls(stack.simulatorUrl);
  step('waiting for a first payment to complete');
  const first = await newKey(stack, 'first-payment', false);
  await payOrder(stack, first, Date.now() + 60_000, plan.requestTimeoutMs);
  if (first.final === null) throw new Error(`the stack answered no first payment within 60 s: ${JSON.stringify(first.answers)}`);

  const results: DrillResult[] = [];
  for (const drill of allDrills.filter((candidate) => plan.drills.includes(candidate.name))) {
    step(`${drill.name}: ${drill.description}, ${loadSecondsOf(drill, plan)} s of load on ${plan.lanes} checkouts`);
    const result = await runDrill(stack, simulator, plan, drill);
    results.push(result);
    const verdict = result.violations.length === 0 ? 'PASS' : `FAIL (${result.violations.length} violations)`;
    console.log(
      `  ${result.keys} keys, ${result.keysAnswered} answered, ${result.requests} requests, max ${result.upstream.maxEffectsPerKey} effect(s) per key, settled in ${result.settleSeconds} s: ${verdict}`,
    );
    if (result.disruption.recoverySeconds === null) break;
  }
  return results;
}

async function runDrill(stack: DrillStack, simulator: SimulatorControls, plan: DrillPlan, drill: Drill): Promise<DrillResult> {
  const cleanUp = (await drill.prepare?.()) ?? (() => undefined);
  try {
    return await runPrepared(stack, simulator, plan, drill);
  } finally {
    cleanUp();
  }
}

async function runPrepared(stack: DrillStack, simulator: SimulatorControls, plan: DrillPlan, drill: Drill): Promise<DrillResult> {
  const loadSeconds = loadSecondsOf(drill, plan);
  const loadMs = loadSeconds * 1000;
  const loadStarted = Date.now();
  // Visibility stores start times at second precision, so the bound is taken a second early.
  const runsSince = new Date(loadStarted - 1_000);
  const log: DisruptionLog = { events: [] };
  const disruption = drill
    .disrupt({
      stack,
      simulator,
      loadMs,
      faultBursts: plan.faultBursts,
      burstSize: plan.burstSize,
      attemptTimeoutMs: Number(plan.apiEnvironment.UPSTREAM_TIMEOUT_MS),
      downMs: plan.downSeconds * 1000,
      recoveryTimeoutMs: plan.recoveryTimeoutSeconds * 1000,
      retryBudgetMs: Number(plan.apiEnvironment.UPSTREAM_RETRY_BUDGET_MS),
      log,
      elapsed: () => ((Date.now() - loadStarted) / 1000).toFixed(1),
    })
    .catch((error: unknown) => {
      log.events.push(`disruption failed: ${error instanceof Error ? error.message : String(error)}`);
      log.recoverySeconds = null;
    });
  // Faults end with the load; the keys still open then must get their answers from a healthy upstream.
  const faultsCleared = new Promise((resolve) => setTimeout(resolve, loadMs)).then(() => simulator.clearFaults());
  const records = await runCheckouts(stack, drill.name, {
    lanes: plan.lanes,
    loadMs,
    keyDeadlineMs: plan.keyDeadlineSeconds * 1000,
    requestTimeoutMs: plan.requestTimeoutMs,
  });
  await Promise.all([disruption, faultsCleared]);
  const settleSeconds = Math.max(0, Math.round((Date.now() - loadStarted - loadMs) / 100) / 10);

  const temporal = await stack.temporal();
  const runs = await runsOfKeys(temporal, records);
  return evaluateDrill({
    drill: drill.name,
    description: drill.description,
    loadSeconds,
    settleSeconds,
    disruption: log,
    records,
    upstream: await upstreamEvidence(simulator, records),
    runsPerKey: runs.perKey,
    runsByStatus: runs.byStatus,
    differingReplays: await differingReplays(stack, records, plan.requestTimeoutMs),
    workflowTaskFailures: await workflowTaskFailures(temporal, runsSince),
  });
}

function loadSecondsOf(drill: Drill, plan: DrillPlan): number {
  return drill.loadSeconds?.[plan.mode] ?? plan.loadSeconds;
}

/** What the run did, as stored in the result: enough to repeat it. */
function describeConfiguration(plan: DrillPlan): Record<string, unknown> {
  return {
    mode: plan.mode,
    drills: plan.drills,
    loadSeconds: plan.loadSeconds,
    checkouts: plan.lanes,
    keyDeadlineSeconds: plan.keyDeadlineSeconds,
    requestTimeoutMs: plan.requestTimeoutMs,
    faultBursts: plan.faultBursts,
    callsPerBurst: plan.burstSize,
    downSeconds: plan.downSeconds,
    recoveryTimeoutSeconds: plan.recoveryTimeoutSeconds,
    api: plan.apiEnvironment,
    temporal: plan.temporal === 'postgres' ? LAB_CLUSTER_DESCRIPTION : 'dev server, SQLite file in a temporary folder, headless',
    instances: plan.temporal === 'postgres' ? 'two APIs (each request to one at random) and two workers; the first of each is the one killed' : 'one API, one worker',
  };
}

function step(text: string): void {
  console.log(`[drill] ${text}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
