import { judgeFuzzRun, type SchemathesisReport } from './fuzz-report';

const clean: SchemathesisReport = {
  seed: 7,
  stop_reason: 'max_time',
  complete: true,
  exit_code: 0,
  operations: { total: 14, selected: 10, tested: 10, errored: 0 },
  test_cases: { generated: 371, with_failures: 0 },
  failures: [],
  errors: [],
};

describe('judgeFuzzRun', () => {
  it('passes a complete run that tested every operation and found nothing', () => {
    expect(judgeFuzzRun(clean, 0)).toEqual({ passed: true, findings: [] });
  });

  it('names each failed check with its operations', () => {
    const failures = [{ code: 'ST001', title: 'Server error', count: 2, operations: ['POST /v1/orders', 'GET /v1/orders/{orderId}'] }];
    expect(judgeFuzzRun({ ...clean, failures, exit_code: 1 }, 1)).toEqual({
      passed: false,
      findings: ['ST001 Server error (2×): POST /v1/orders, GET /v1/orders/{orderId}'],
    });
  });

  it('fails a run that left operations untested, errored or did not complete', () => {
    const verdict = judgeFuzzRun(
      { ...clean, complete: false, stop_reason: 'interrupted', operations: { total: 14, selected: 10, tested: 0, errored: 1 }, errors: [{ title: 'Network Error' }] },
      1,
    );
    expect(verdict.passed).toBe(false);
    expect(verdict.findings).toEqual([
      'error: {"title":"Network Error"}',
      'no operation was tested',
      'only 0 of 10 selected operations were tested',
      'the run did not complete (stopped: interrupted)',
    ]);
  });

  it('fails when schemathesis was killed or wrote no report', () => {
    expect(judgeFuzzRun(null, null).findings).toEqual(['schemathesis ran past its time cap and was killed']);
    expect(judgeFuzzRun(null, 2).findings).toEqual(['schemathesis wrote no report (exit 2)']);
  });

  it('does not trust a report that contradicts a failing exit code', () => {
    expect(judgeFuzzRun(clean, 1).passed).toBe(false);
  });
});
