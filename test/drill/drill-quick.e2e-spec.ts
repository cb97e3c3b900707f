import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultDrillNames } from '../../scripts/drill/drills';
import { invariantNames, type DrillRunResult } from '../../scripts/drill/drill-result';
import { runBuiltScript } from '../support/built-script';

const DRILL_TIMEOUT_MS = 5 * 60_000;
/** The cluster lane (npm run test:cluster) drills the real server on PostgreSQL, two APIs and two workers. */
const temporal = process.env.TEST_TEMPORAL === 'cluster' ? 'postgres' : 'dev-server';

// The invariants only: counts and timings depend on the machine and are never asserted.
describe(`npm run drill -- --quick --temporal ${temporal}`, () => {
  const outputDirectory = mkdtempSync(join(tmpdir(), 'drill-quick-'));
  afterAll(() => rmSync(outputDirectory, { recursive: true, force: true }));

  it(
    'runs every drill and every invariant holds in each',
    async () => {
      const { code, output } = await runBuiltScript('drill/run-drill.js', ['--quick', '--temporal', temporal, '--output-dir', outputDirectory], DRILL_TIMEOUT_MS);
      if (code !== 0) console.error(output);

      const result = JSON.parse(readFileSync(join(outputDirectory, 'latest.json'), 'utf8')) as DrillRunResult;
      expect(result.mode).toBe('quick');
      expect(result.drills.map((drill) => drill.drill)).toEqual(defaultDrillNames(temporal, 'quick'));
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
