import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../../scripts/lib/paths';
import { drillNames } from '../../scripts/drill/drills';
import { invariantNames, type DrillRunResult } from '../../scripts/drill/drill-result';

const DRILL_TIMEOUT_MS = 5 * 60_000;

/** Runs the built drill; on timeout asks it to stop its stack, then kills it. */
function runQuickDrill(outputDirectory: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const drill = spawn(process.execPath, [join(repoRoot, 'dist/scripts/drill/run-drill.js'), '--quick', '--output-dir', outputDirectory], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    drill.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    drill.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const terminate = setTimeout(() => drill.kill('SIGTERM'), DRILL_TIMEOUT_MS);
    const kill = setTimeout(() => drill.kill('SIGKILL'), DRILL_TIMEOUT_MS + 20_000);
    drill.once('exit', (code) => {
      clearTimeout(terminate);
      clearTimeout(kill);
      resolve({ code, output });
    });
  });
}

// The invariants only: counts and timings depend on the machine and are never asserted.
describe('npm run drill -- --quick', () => {
  const outputDirectory = mkdtempSync(join(tmpdir(), 'drill-quick-'));
  afterAll(() => rmSync(outputDirectory, { recursive: true, force: true }));

  it(
    'runs every drill and every invariant holds in each',
    async () => {
      const { code, output } = await runQuickDrill(outputDirectory);
      if (code !== 0) console.error(output);

      const result = JSON.parse(readFileSync(join(outputDirectory, 'latest.json'), 'utf8')) as DrillRunResult;
      expect(result.mode).toBe('quick');
      expect(result.drills.map((drill) => drill.drill)).toEqual(drillNames);
      for (const drill of result.drills) {
        expect({ drill: drill.drill, violations: drill.violations }).toEqual({ drill: drill.drill, violations: [] });
        expect(Object.keys(drill.invariants).sort()).toEqual(Object.keys(invariantNames).sort());
        expect(Object.values(drill.invariants).every(Boolean)).toBe(true);
        // A drill that sent nothing would hold every invariant vacuously.
        expect(drill.keys).toBeGreaterThan(0);
      }
      expect(result.passed).toBe(true);
      expect(code).toBe(0);
    },
    DRILL_TIMEOUT_MS + 30_000,
  );
});
