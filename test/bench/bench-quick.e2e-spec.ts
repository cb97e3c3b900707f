import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../../scripts/lib/paths';
import { scenarioIds, type BenchResult } from '../../scripts/bench/bench-result';

const BENCH_TIMEOUT_MS = 5 * 60_000;

/** Runs the built benchmark; on timeout asks it to stop its stack, then kills it. */
function runQuickBench(outputDirectory: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const bench = spawn(process.execPath, [join(repoRoot, 'dist/scripts/bench/run-bench.js'), '--quick', '--output-dir', outputDirectory], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    bench.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    bench.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const terminate = setTimeout(() => bench.kill('SIGTERM'), BENCH_TIMEOUT_MS);
    const kill = setTimeout(() => bench.kill('SIGKILL'), BENCH_TIMEOUT_MS + 20_000);
    bench.once('exit', (code) => {
      clearTimeout(terminate);
      clearTimeout(kill);
      resolve({ code, output });
    });
  });
}

// Only that the quick mode runs and reports every scenario: numbers are never asserted.
describe('npm run bench -- --quick', () => {
  const outputDirectory = mkdtempSync(join(tmpdir(), 'bench-quick-'));
  afterAll(() => rmSync(outputDirectory, { recursive: true, force: true }));

  it(
    'exits 0 and writes a result with every scenario and numeric measurements',
    async () => {
      const { code, output } = await runQuickBench(outputDirectory);
      if (code !== 0) console.error(output);
      expect(code).toBe(0);

      const result = JSON.parse(readFileSync(join(outputDirectory, 'latest.json'), 'utf8')) as BenchResult;
      expect(result.mode).toBe('quick');
      expect(new Set(result.scenarios.map((row) => row.scenario))).toEqual(new Set(scenarioIds));
      for (const row of result.scenarios) {
        const numbers = [row.concurrency, row.requests, row.elapsedSeconds, row.throughputPerSecond, row.errors, row.non2xx, row.replayed];
        numbers.push(row.latencyMs.p50, row.latencyMs.p90, row.latencyMs.p99);
        for (const value of numbers) expect(Number.isFinite(value)).toBe(true);
      }
      for (const row of result.overhead) {
        for (const value of [row.concurrency, row.addedP50Ms, row.p50Ratio, row.p99Ratio]) expect(Number.isFinite(value)).toBe(true);
      }
    },
    BENCH_TIMEOUT_MS + 30_000,
  );
});
