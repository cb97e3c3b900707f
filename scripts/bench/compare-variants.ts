import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { repoRoot } from '../lib/paths';
import type { BenchResult, ScenarioResult } from './bench-result';
import { markdownTable } from '../lib/markdown-table';
import { median, spread, stackCpuMsPerRequest } from './step-statistics';

const USAGE = [
  'usage: compare-variants [--rounds N] [--output-dir DIR] --variant NAME="run-bench options" --variant NAME=... [-- options for every run]',
  '       compare-variants --summarize DIR   (prints the table of a finished comparison again)',
].join('\n');
/** A round that takes longer than this is stuck; the comparison stops rather than wait forever. */
const RUN_TIMEOUT_MS = 10 * 60_000;

interface Variant {
  name: string;
  args: string[];
}

/**
 * One (scenario, concurrency) of one variant over every round. A run that measures a step several
 * times (the callbacks scenario's `--rounds`) adds each as one more repeat: the row's values are its
 * steps, every round's, counted in the table's Steps column.
 */
interface ComparedRow {
  variant: string;
  scenario: string;
  concurrency: number;
  p50Ms: number[];
  throughputPerSecond: number[];
  /** The rest of the machine's busy cores: high values mean that round competed with something else. */
  otherCores: number[];
  /** The stack's CPU per answered request (./step-statistics.ts). */
  stackCpuMsPerRequest: number[];
}

/**
 * `npm run bench:compare`: runs the benchmark once per variant per round, interleaved (A, B, A, B,
 * …) so that load from elsewhere on a shared machine falls on every variant alike, then prints the
 * median and the spread of each variant's p50 and throughput.
 */
async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    args: process.argv.slice(2),
    options: {
      rounds: { type: 'string', default: '3' },
      variant: { type: 'string', multiple: true },
      'output-dir': { type: 'string' },
      summarize: { type: 'string' },
    },
    allowPositionals: true,
    strict: true,
  });
  if (values.summarize !== undefined) return summarize(values.summarize);
  const rounds = Number(values.rounds);
  if (!Number.isInteger(rounds) || rounds < 1 || rounds > 20) throw new Error(`--rounds takes 1 to 20, not "${values.rounds}"\n${USAGE}`);
  const variants = (values.variant ?? []).map(parseVariant);
  if (variants.length < 2) throw new Error(`give at least two variants\n${USAGE}`);
  const outputDirectory = values['output-dir'] ?? join(repoRoot, 'artifacts/bench', `compare-${new Date().toISOString().replace(/[:.]/g, '-')}`);

  for (let round = 1; round <= rounds; round += 1) {
    for (const variant of variants) {
      console.log(`[compare] round ${round}/${rounds}: ${variant.name} (${variant.args.join(' ') || 'defaults'})`);
      await runBench([...positionals, ...variant.args, '--output-dir', runDirectory(outputDirectory, variant, round)]);
    }
  }
  const plan: ComparisonPlan = { rounds, variants, commonArgs: positionals };
  writeFileSync(join(outputDirectory, 'plan.json'), `${JSON.stringify(plan, null, 2)}\n`);
  summarize(outputDirectory);
}

interface ComparisonPlan {
  rounds: number;
  variants: Variant[];
  commonArgs: string[];
}

function runDirectory(outputDirectory: string, variant: Variant, round: number): string {
  return join(outputDirectory, `${variant.name}-${round}`);
}

/** Reads every run of a comparison back from its directory and prints the medians and spreads. */
function summarize(outputDirectory: string): void {
  const plan = JSON.parse(readFileSync(join(outputDirectory, 'plan.json'), 'utf8')) as ComparisonPlan;
  const rows = plan.variants.flatMap((variant) => {
    const runs = Array.from({ length: plan.rounds }, (_, index) => runDirectory(outputDirectory, variant, index + 1));
    return compareRows(
      variant.name,
      runs.map((directory) => JSON.parse(readFileSync(join(directory, 'latest.json'), 'utf8')) as BenchResult),
    );
  });
  writeFileSync(join(outputDirectory, 'comparison.json'), `${JSON.stringify({ ...plan, rows }, null, 2)}\n`);
  console.log(`\nCompared over ${plan.rounds} interleaved rounds; common options: ${plan.commonArgs.join(' ') || 'none'}\n`);
  console.log(`${renderComparison(rows)}\n`);
  console.log(`Every run's result and comparison.json are in ${outputDirectory}.`);
}

function parseVariant(text: string): Variant {
  const separator = text.indexOf('=');
  const name = text.slice(0, separator);
  if (separator < 1 || !/^[\w.-]+$/.test(name)) throw new Error(`--variant takes NAME=options, NAME of letters, digits, _ . -, not "${text}"\n${USAGE}`);
  return {
    name,
    args: text
      .slice(separator + 1)
      .split(/\s+/)
      .filter((arg) => arg !== ''),
  };
}

function runBench(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const bench = spawn(process.execPath, [join(repoRoot, 'dist/scripts/bench/run-bench.js'), ...args], { cwd: repoRoot, stdio: 'inherit' });
    const timer = setTimeout(() => bench.kill('SIGTERM'), RUN_TIMEOUT_MS);
    bench.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else reject(new Error(`run-bench ${args.join(' ')} ended with ${code ?? signal}`));
    });
  });
}

function compareRows(variant: string, runs: readonly BenchResult[]): ComparedRow[] {
  const rows = new Map<string, ComparedRow>();
  for (const scenario of runs.flatMap((run) => run.scenarios)) {
    const id = `${scenario.scenario}/${scenario.concurrency}`;
    const row = rows.get(id) ?? {
      variant,
      scenario: scenario.scenario,
      concurrency: scenario.concurrency,
      p50Ms: [],
      throughputPerSecond: [],
      otherCores: [],
      stackCpuMsPerRequest: [],
    };
    row.p50Ms.push(scenario.latencyMs.p50);
    row.throughputPerSecond.push(scenario.throughputPerSecond);
    row.otherCores.push(otherCores(scenario));
    row.stackCpuMsPerRequest.push(stackCpuMsPerRequest(scenario));
    rows.set(id, row);
  }
  return [...rows.values()];
}

function otherCores(scenario: ScenarioResult): number {
  return scenario.coresBusy.other ?? 0;
}

function renderComparison(rows: readonly ComparedRow[]): string {
  const ordered = [...rows].sort((a, b) => a.scenario.localeCompare(b.scenario) || a.concurrency - b.concurrency);
  return markdownTable(
    ['Scenario', 'Conc.', 'Variant', 'Steps', 'p50 ms (median)', 'p50 range', 'Req/s (median)', 'Req/s range', 'Stack CPU ms/req (median)', 'other cores (max)'],
    ordered.map((row) => [
      row.scenario,
      String(row.concurrency),
      row.variant,
      String(row.p50Ms.length),
      String(median(row.p50Ms)),
      spread(row.p50Ms),
      String(median(row.throughputPerSecond)),
      spread(row.throughputPerSecond),
      String(median(row.stackCpuMsPerRequest)),
      String(Math.max(...row.otherCores)),
    ]),
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
