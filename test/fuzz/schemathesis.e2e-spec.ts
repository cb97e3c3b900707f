import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { judgeFuzzRun, readSchemathesisReport } from '../../scripts/fuzz/fuzz-report';
import { locateSchemathesis, REPORT_FILES } from '../../scripts/fuzz/schemathesis';
import { documentedOperations, loadOpenApiDocument } from '../support/openapi-document';
import { runBuiltScript } from '../support/built-script';
import { CLIENT_TOKENS, TestStack } from '../support/stack';

/** The quick preset's 60 s of fuzzing, plus the runner's own grace for loading and shrinking. */
const FUZZ_TIMEOUT_MS = 3 * 60_000;
/** A first pip install of schemathesis and its dependencies takes about a minute. */
const INSTALL_TIMEOUT_MS = 5 * 60_000;

describe('schemathesis against the OpenAPI document (npm run fuzz -- --quick)', () => {
  let stack: TestStack;
  const outputDirectory = mkdtempSync(join(tmpdir(), 'fuzz-'));

  // Installed here, in the test's own set-up, so the fuzzing below gets its whole time.
  beforeAll(() => void locateSchemathesis(), INSTALL_TIMEOUT_MS);
  beforeAll(async () => {
    stack = await TestStack.start();
  });
  afterAll(async () => {
    await stack.stop();
    rmSync(outputDirectory, { recursive: true, force: true });
  });

  it(
    'finds no server error, no answer the document does not describe, and no crash',
    async () => {
      const { code, output } = await runBuiltScript(
        'fuzz/run-fuzz.js',
        ['--quick', '--api-url', stack.apiUrl, '--token', CLIENT_TOKENS.checkout, '--output-dir', outputDirectory],
        FUZZ_TIMEOUT_MS,
      );
      const report = readSchemathesisReport(join(outputDirectory, REPORT_FILES.json));
      const verdict = judgeFuzzRun(report, code);
      if (!verdict.passed) console.error(output);

      expect(verdict.findings).toEqual([]);
      // Every operation of the document was exercised, with many generated requests.
      expect(report?.operations.tested).toBe(report?.operations.selected);
      expect(report?.operations.selected).toBe(documentedOperations(await loadOpenApiDocument(stack.apiUrl)).length);
      expect(report?.test_cases.generated).toBeGreaterThan(100);
      expect(code).toBe(0);
      // The API outlived the fuzzing.
      expect((await fetch(`${stack.apiUrl}/health/live`)).status).toBe(200);
    },
    FUZZ_TIMEOUT_MS + 30_000,
  );
});
