import { readBenchPlan, type BenchPlan, type ScenarioName } from './bench-plan';
import { overheadAgainstDirect, type BenchResult, type ScenarioResult } from './bench-result';
import { startBenchStack, type BenchStack } from './bench-stack';
import { describeMachine } from './machine';
import { completePayment } from './orchestrator-payments';
import { renderCpuTable, renderResultsTable } from './results-table';
import { writeResultFiles } from './result-files';
import { measureDirect, measureNewKeys, measureReplays, measureStorms } from './scenarios';
import { createOrders } from './simulator-fixtures';
import { runAgainstStack } from '../lib/supervised-run';

/**
 * `npm run bench [-- --quick] [-- --latency-ms N]`: starts a private stack, measures the four
 * scenarios, writes artifacts/bench/latest.json and prints a table.
 */
async function main(): Promise<void> {
  const plan = readBenchPlan(process.argv.slice(2), process.env);
  const startedAt = new Date();
  const machine = describeMachine();
  const configuration = describeConfiguration(plan);
  console.log(`Benchmark (${plan.mode}) on ${machine.cpuCount} × ${machine.cpuModel}, Node ${machine.node}, ${machine.temporalCli}`);
  console.log(JSON.stringify(configuration, null, 2));

  const stack = await startBenchStack({
    simulatorLatencyMs: plan.simulatorLatencyMs,
    apiEnvironment: plan.apiEnvironment,
    variant: plan.variant,
    verbose: plan.verbose,
  });
  const scenarios = await runAgainstStack(stack, () => measureAll(stack, plan), (reason) => reason);

  const overhead = overheadAgainstDirect(scenarios);
  const result: BenchResult = { startedAt: startedAt.toISOString(), finishedAt: new Date().toISOString(), mode: plan.mode, machine, configuration, scenarios, overhead };
  const file = writeResultFiles(plan.outputDirectory, result);
  console.log(`\n${renderResultsTable(scenarios, overhead)}\n`);
  console.log(`Cores busy on average during each step (${machine.cpuCount} on this machine):\n\n${renderCpuTable(scenarios)}\n`);
  console.log(`Results written to ${file} (and latest.json beside it).`);
}

async function measureAll(stack: BenchStack, plan: BenchPlan): Promise<ScenarioResult[]> {
  step('waiting for the worker to complete a first payment');
  await completePayment(stack, (await createOrders(stack, 1))[0] as string, 60_000);
  step(`warming up: ${plan.warmUpSeconds} s of new payments on 8 connections (not recorded)`);
  await measureNewKeys(stack, plan, 8, plan.warmUpSeconds);

  const scenarios: ScenarioResult[] = [];
  const record = (result: ScenarioResult) => {
    scenarios.push(result);
    console.log(`  ${result.scenario} ×${result.concurrency}: ${result.throughputPerSecond} req/s, p50 ${result.latencyMs.p50} ms, p99 ${result.latencyMs.p99} ms`);
  };
  const runs = (name: ScenarioName) => plan.scenarios.has(name);
  for (const connections of runs('direct') ? plan.concurrencies : []) {
    step(`(a) simulator direct, ${connections} connections`);
    record(await measureDirect(stack, plan, connections));
  }
  for (const connections of runs('new-keys') ? plan.concurrencies : []) {
    step(`(b) new keys through the orchestrator, ${connections} connections`);
    record(await measureNewKeys(stack, plan, connections));
  }
  if (runs('replays')) {
    step(`(c) replays of ${plan.finishedPayments} finished payments, at ${plan.concurrencies.join(', ')} connections`);
    (await measureReplays(stack, plan)).forEach(record);
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
    temporal: {
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
