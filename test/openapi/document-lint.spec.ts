import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { OPENAPI_DOCUMENT_FILE } from '../../apps/api/src/openapi/api-docs';
import { repoRoot } from '../../scripts/lib/paths';

/** What `redocly lint --format=json` prints. */
interface LintReport {
  totals: { errors: number; warnings: number; ignored: number };
  problems: { ruleId: string; severity: string; message: string; location: { pointer: string }[] }[];
}

/** The pinned Redocly CLI's entry point, run with this Node rather than through npx. */
const REDOCLY = join(dirname(require.resolve('@redocly/cli/package.json')), 'bin/cli.js');

/**
 * The committed document against a standard OpenAPI linter: Redocly CLI's recommended rules
 * (redocly.yaml), warnings included; the few exceptions are in .redocly.lint-ignore.yaml, each
 * with its reason. That the file is what the API serves is test/openapi/document-drift.e2e-spec.ts's.
 */
describe(`${OPENAPI_DOCUMENT_FILE} lints clean`, () => {
  it('has no error and no warning under the recommended rules', () => {
    const lint = spawnSync(process.execPath, [REDOCLY, 'lint', '--format=json', OPENAPI_DOCUMENT_FILE], {
      cwd: repoRoot,
      encoding: 'utf8',
      // No usage report sent home, no check for a newer version: the run stays offline and repeatable.
      env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
      timeout: 60_000,
    });
    if (lint.error !== undefined) throw lint.error;
    const report = JSON.parse(lint.stdout) as LintReport;
    const problems = report.problems.map(({ severity, ruleId, message, location }) => `${severity} ${ruleId}: ${message} at ${location.map(({ pointer }) => pointer).join(', ')}`);
    expect(problems).toEqual([]);
    expect(report.totals).toEqual({ errors: 0, warnings: 0, ignored: 2 });
    expect(lint.status).toBe(0);
  });
});
