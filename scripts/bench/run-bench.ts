import { readBenchPlan, type BenchPlan, type ScenarioName } from './bench-plan';
import { overheadAgainstDirect, ratiosAgainstFloor, type BenchResult, type ScenarioResult } from './bench-result';
import { startBenchStack, type BenchStack } from './bench-stack';
import { describeMachine } from './machine';
import { completePayment } from './orchestrator-payments';
import { renderCpuTable, renderPlainClientTable, renderResultsTable } from './results-table';
import { ratiosAgainstPlainClient, summarizeAgainstPlainClient } from './against-plain-client';
import { writeResultFiles } from './result-files';
import {
  HUNG_CALLBACK_PAYMENTS,
  measureBesideHungCallbacks,
  measureCalledBackNewKeys,
  measureDirect,
  measureNewKeys,
  measureReplays,
  measureStorms,
  systemUrl,
  type PaymentSystem,
} from './scenarios';
import { createOrders } from './simulator-fixtures';
import { runAgainstStack } from '../lib/supervised-run';
import { LAB_CLUSTER_DESCRIPTION } from '../lib/stack/temporal-choice';
import { FLOOR_TASK_QUEUE } from './floor/floor-contract';

/**
 * `npm run bench [-- --quick] [-- --latency-ms N]`: starts a private stack, measures the
 * scenarios (the orchestrator's and the engine floor's), writes artifacts/bench/latest.json
 * and prints a table.
 */
async function main(): Promise<void> {
  const plan = readBenchPlan(process.argv.slice(2), process.env);
  const startedAt = new Date();
  const machine = describeMachine();
  const configuration = describeConfiguration(plan);
  console.log(`Benchmark (${plan.mode}, Temporal: ${plan.temporal}) on ${machine.cpuCount} × ${machine.cpuModel}, Node ${machine.node}, ${machine.temporalCli}`);
  console.log(JSON.stringify(configuration, null, 2));

  const stack = await startBenchStack({
    temporal: plan.temporal,
    simulatorLatencyMs: plan.simulatorLatencyMs,
    apiEnvironment: plan.apiEnvironment,
    variant: plan.variant,
    verbose: plan.verbose,
    floor: plan.scenarios.has('floor'),
    callbacks: plan.scenarios.has('callbacks'),
  });
  const scenarios = await runAgainstStack(
    stack,
    () => measureAll(stack, plan),
    (reason) => reason,
  );

  const overhead = overheadAgainstDirect(scenarios);
  const againstFloor = ratiosAgainstFloor(scenarios);
  const againstPlainClient = ratiosAgainstPlainClient(scenarios);
  const finishedAt = new Date().toISOString();
  const result: BenchResult = { startedAt: startedAt.toISOString(), finishedAt, mode: plan.mode, machine, configuration, scenarios, overhead, againstFloor, againstPlainClient };
  const file = writeResultFiles(plan.outputDirectory, result);
  console.log(`\n${renderResultsTable(scenarios, overhead, againstFloor)}\n`);
  if (againstPlainClient.length > 0) console.log(`${renderPlainClientTable(summarizeAgainstPlainClient(againstPlainClient))}\n`);
  console.log(`Cores busy on average during each step (${machine.cpuCount} on this machine):\n\n${renderCpuTable(scenarios)}\n`);
  console.log(`Results written to ${file} (and latest.json beside it).`);
}

async function measureAll(stack: BenchStack, plan: BenchPlan): Promise<ScenarioResult[]> {
  const runs = (name: ScenarioName) => plan.scenarios.has(name);
  const systems: PaymentSystem[] = runs('floor') ? ['orchestrator', 'floor'] : ['orchestrator'];
  for (const system of systems) {
    step(`waiting for the ${system}'s worker to complete a first payment`);
    await completePayment(stack, (await createOrders(stack, 1))[0] as string, 60_000, systemUrl(stack, system));
  }
  for (const system of systems) {
    step(`warming up the ${system}: ${plan.warmUpSeconds} s of new payments on 8 connections (not recorded)`);
    await measureNewKeys(stack, plan, system, 8, plan.warmUpSeconds);
  }

  const scenarios: ScenarioResult[] = [];
  const record = (result: ScenarioResult) => {
    scenarios.push(result);
    console.log(`  ${result.scenario} ×${result.concurrency}: ${result.throughputPerSecond} req/s, p50 ${result.latencyMs.p50} ms, p99 ${result.latencyMs.p99} ms`);
  };
  for (const connections of runs('direct') ? plan.concurrencies : []) {
    step(`(a) simulator direct, ${connections} connections`);
    record(await measureDirect(stack, plan, connections));
  }
  // The orchestrator and its floor take turns at each concurrency, so what changes over the run
  // (Temporal's history grows, other load comes and goes) falls on both sides of each ratio alike.
  for (const connections of plan.concurrencies) {
    // The callbacks scenario's rounds start with (b) too: its first round's (b) is the row (e) is set against.
    const plainClient = async (round?: number) => {
      step(`(b) new keys through the orchestrator, ${connections} connections${round === undefined ? '' : `, round ${round}`}`);
      const result = await measureNewKeys(stack, plan, 'orchestrator', connections);
      record(round === undefined ? result : { ...result, round });
    };
    if (runs('new-keys') || runs('callbacks')) await plainClient(runs('callbacks') ? 1 : undefined);
    if (runs('floor')) {
      step(`(e) new keys through the engine floor, ${connections} connections`);
      record(await measureNewKeys(stack, plan, 'floor', connections));
    }
    for (let round = 1; runs('callbacks') && round <= plan.callbackRounds; round += 1) {
      // Between two (b) steps, so that each ratio to the plain client is not one of two moments of
      // a busy machine; (h)'s hanging callbacks are stopped after its step, so they load no later one.
      step(`(g) new keys of a client with a callback URL, ${connections} connections, round ${round}`);
      record({ ...(await measureCalledBackNewKeys(stack, plan, connections)), round });
      step(`(h) new keys beside a client whose receiver never answers (${HUNG_CALLBACK_PAYMENTS} more of its payments first), ${connections} connections, round ${round}`);
      record({ ...(await measureBesideHungCallbacks(stack, plan, connections)), round });
      await plainClient(round + 1);
    }
  }
  if (runs('replays')) {
    step(`(c) replays of ${plan.finishedPayments} finished payments, at ${plan.concurrencies.join(', ')} connections`);
    (await measureReplays(stack, plan, 'orchestrator')).forEach(record);
  }
  if (runs('floor')) {
    step(`(f) replays of ${plan.finishedPayments} payments finished on the floor, at ${plan.concurrencies.join(', ')} connections`);
    (await measureReplays(stack, plan, 'floor')).forEach(record);
  }
  for (const size of runs('storms') ? plan.stormSizes : []) {
    step(`(d) ${plan.stormsPerSize} storms of ${size} concurrent duplicates`);
    record(await measureStorms(stack, plan, size));
  }
  return scenarios;
}

/** What the run did, as stored in the result: enough to repeat it. */
function describeConfiguration(plan: BenchPlan): Record<string, unknown> {
  return {
    mode: plan.mode,
    simulatorLatencyMs: plan.simulatorLatencyMs,
    stepSeconds: plan.stepSeconds,
    callbackRounds: plan.callbackRounds,
    concurrencies: plan.concurrencies,
    stormSizes: plan.stormSizes,
    stormsPerSize: plan.stormsPerSize,
    rateCeilings: plan.rateCeilings,
    finishedPayments: plan.finishedPayments,
    warmUpSeconds: plan.warmUpSeconds,
    autocannon: { pipelining: 1, timeoutSeconds: plan.requestTimeoutSeconds, workerThreads: false },
    scenarios: [...plan.scenarios],
    api: plan.apiEnvironment,
    worker: plan.variant.workerEnvironment,
    floor: plan.scenarios.has('floor')
      ? {
          taskQueue: FLOOR_TASK_QUEUE,
          shape: 'temporal-eager: one process (node:http front, client and worker on one native connection), eager start, the attempt as a local activity',
          temporal: 'the same Temporal',
        }
      : null,
    temporal:
      plan.temporal === 'postgres'
        ? { store: LAB_CLUSTER_DESCRIPTION }
        : {
            store: plan.variant.temporalDbFile ? 'dev server, SQLite file in a temporary directory, headless' : 'dev server, in-memory SQLite, headless',
            sqlitePragmas: plan.variant.temporalSqlitePragmas,
            dynamicConfig: plan.variant.temporalDynamicConfig,
          },
  };
}

function step(text: string): void {
  console.log(`[bench] ${text}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
