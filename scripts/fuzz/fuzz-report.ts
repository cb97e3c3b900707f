import { existsSync, readFileSync } from 'node:fs';

/** The parts of schemathesis's JSON report (--report json) the run's verdict rests on. */
export interface SchemathesisReport {
  seed: number;
  stop_reason: string;
  complete: boolean;
  exit_code: number;
  operations: { total: number; selected: number; tested: number; errored: number };
  test_cases: { generated: number; with_failures: number };
  failures: ReadonlyArray<{ code: string; title: string; count: number; operations: readonly string[] }>;
  errors: readonly unknown[];
}

export interface FuzzVerdict {
  passed: boolean;
  /** One line per problem: a failed check with its operations, an error, or an incomplete run. */
  findings: string[];
}

export function readSchemathesisReport(file: string): SchemathesisReport | null {
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as SchemathesisReport) : null;
}

/**
 * A run passes when schemathesis finished, tested every selected operation of the document and found
 * nothing: no failed check, no error. A run that tested nothing cannot pass.
 */
export function judgeFuzzRun(report: SchemathesisReport | null, exitCode: number | null): FuzzVerdict {
  if (report === null) return { passed: false, findings: [exitCode === null ? 'schemathesis ran past its time cap and was killed' : `schemathesis wrote no report (exit ${exitCode})`] };
  const findings = [
    ...report.failures.map((failure) => `${failure.code} ${failure.title} (${failure.count}×): ${failure.operations.join(', ')}`),
    ...report.errors.map((error) => `error: ${JSON.stringify(error)}`),
  ];
  if (report.operations.tested === 0) findings.push('no operation was tested');
  if (report.operations.tested < report.operations.selected) findings.push(`only ${report.operations.tested} of ${report.operations.selected} selected operations were tested`);
  if (!report.complete) findings.push(`the run did not complete (stopped: ${report.stop_reason})`);
  if (findings.length === 0 && (exitCode !== 0 || report.exit_code !== 0)) findings.push(`schemathesis exited with ${exitCode ?? 'a kill'} although it reported no failure`);
  return { passed: findings.length === 0, findings };
}
