import { randomInt } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { UNCHANGED_STACK } from '../bench/bench-plan';
import { startBenchStack, type BenchStack } from '../bench/bench-stack';
import { readFuzzPlan, type FuzzPlan } from './fuzz-plan';
import { judgeFuzzRun, readSchemathesisReport, type FuzzVerdict } from './fuzz-report';
import { REPORT_FILES, runSchemathesis } from './schemathesis';

/** The e2e tests' timeouts: short upstream retries, so a request the fuzzer sends settles in seconds. */
const STACK_API_ENVIRONMENT = {
  WAIT_FOR_RESULT_MS: '10000',
  UPSTREAM_TIMEOUT_MS: '2000',
  UPSTREAM_RETRY_INITIAL_MS: '100',
  UPSTREAM_RETRY_MAX_INTERVAL_MS: '1000',
  UPSTREAM_RETRY_BUDGET_MS: '60000',
};

/**
 * `npm run fuzz [-- --quick] [-- --api-url URL --token TOKEN] [-- --seed N]`: runs schemathesis
 * against the API's OpenAPI document, on a private stack unless given an API, and writes its
 * reports to artifacts/fuzz/. Exits 1 on any finding.
 */
async function main(): Promise<void> {
  const plan = readFuzzPlan(process.argv.slice(2), () => randomInt(2 ** 31));
  // Each run's reports replace the last, so a stale report never passes for this run's.
  rmSync(plan.outputDirectory, { recursive: true, force: true });
  mkdirSync(plan.outputDirectory, { recursive: true });
  console.log(`Fuzzing with seed ${plan.seed}: up to ${plan.maxExamples} examples per operation and phase, ${plan.maxSeconds} s.`);

  const stack =
    plan.apiUrl === null
      ? await startBenchStack({ temporal: 'dev-server', simulatorLatencyMs: 0, apiEnvironment: STACK_API_ENVIRONMENT, variant: UNCHANGED_STACK, verbose: plan.verbose })
      : null;
  let verdict: FuzzVerdict;
  try {
    verdict = await fuzz(plan, stack);
  } finally {
    await stack?.stop();
  }

  for (const finding of verdict.findings) console.log(`FINDING: ${finding}`);
  console.log(`Reports in ${plan.outputDirectory} (${Object.values(REPORT_FILES).join(', ')}).`);
  if (verdict.passed) {
    console.log('No findings.');
    return;
  }
  console.log(`To reproduce: ${reproduction(plan)}`);
  process.exitCode = 1;
}

async function fuzz(plan: FuzzPlan, stack: BenchStack | null): Promise<FuzzVerdict> {
  const apiUrl = stack?.apiUrl ?? (plan.apiUrl as string);
  const token = stack?.clientToken ?? (plan.token as string);
  const crashes: string[] = [];
  void stack?.unexpectedExit.then((reason) => crashes.push(reason));
  const exitCode = await runSchemathesis({ ...plan, apiUrl, token, output: (line) => console.log(line) });
  const verdict = judgeFuzzRun(readSchemathesisReport(join(plan.outputDirectory, REPORT_FILES.json)), exitCode);
  // An app that died under the fuzzer crashed, whatever schemathesis made of the refused connections.
  verdict.findings.unshift(...crashes.map((crash) => `${crash}: the stack crashed while fuzzed`));
  verdict.passed &&= crashes.length === 0;
  if (!verdict.passed && stack !== null) console.error(stack.recentOutput().join('\n'));
  return verdict;
}

function reproduction(plan: FuzzPlan): string {
  const target = plan.apiUrl === null ? '' : ` --api-url ${plan.apiUrl} --token <token>`;
  return `npm run fuzz --${target} --seed ${plan.seed} --max-examples ${plan.maxExamples} --max-seconds ${plan.maxSeconds}`;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
