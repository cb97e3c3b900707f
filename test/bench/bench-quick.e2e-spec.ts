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
    "exits 0 and writes a result with every scenario, the floor's included, numeric measurements and ratios, the callbacks' against the plain client",
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

      // Every orchestrator new-key and replay step has a ratio to the floor, and every floor step one to the direct call.
      const steps = (scenario: string) => result.scenarios.filter((row) => row.scenario === scenario).map((row) => row.concurrency);
      const ratioKeys = (rows: readonly { scenario: string; concurrency: number }[]) => rows.map((row) => `${row.scenario}/${row.concurrency}`);
      const expectedAgainstFloor = ['orchestrator-new-keys', 'orchestrator-replays'].flatMap((scenario) => steps(scenario).map((concurrency) => `${scenario}/${concurrency}`));
      expect(ratioKeys(result.againstFloor).sort()).toEqual(expectedAgainstFloor.sort());
      for (const row of result.againstFloor) {
        for (const value of [row.throughputRatio, row.p50Ratio, row.p99Ratio, row.floorThroughputPerSecond, row.floorP50Ms]) expect(Number.isFinite(value)).toBe(true);
      }
      const floorSteps = ['floor-new-keys', 'floor-replays'].flatMap((scenario) => steps(scenario).map((concurrency) => `${scenario}/${concurrency}`));
      expect(ratioKeys(result.overhead)).toEqual(expect.arrayContaining(floorSteps));
      expect(output).toContain('Req/s vs floor');

      // Every callback step is set against the plain client measured around it.
      const callbackSteps = ['orchestrator-new-keys-called-back', 'orchestrator-new-keys-beside-hung-callbacks'].flatMap((scenario) =>
        steps(scenario).map((concurrency) => `${scenario}/${concurrency}`),
      );
      expect(ratioKeys(result.againstPlainClient).sort()).toEqual(callbackSteps.sort());
      for (const row of result.againstPlainClient) {
        for (const value of [row.throughputRatio, row.p50Ratio, row.cpuPerRequestRatio, row.baselineDrift]) expect(Number.isFinite(value)).toBe(true);
      }
      expect(output).toContain('Against the plain client (b)');
    },
    BENCH_TIMEOUT_MS + 30_000,
  );
});
