import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scenarioIds, type BenchResult } from '../../scripts/bench/bench-result';
import { runBuiltScript } from '../support/built-script';

const BENCH_TIMEOUT_MS = 5 * 60_000;

// Only that the quick mode runs and reports every scenario: numbers are never asserted.
describe('npm run bench -- --quick', () => {
  const outputDirectory = mkdtempSync(join(tmpdir(), 'bench-quick-'));
  afterAll(() => rmSync(outputDirectory, { recursive: true, force: true }));

  it(
    'exits 0 and writes a result with every scenario and numeric measurements',
    async () => {
      const { code, output } = await runBuiltScript('bench/run-bench.js', ['--quick', '--output-dir', outputDirectory], BENCH_TIMEOUT_MS);
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
