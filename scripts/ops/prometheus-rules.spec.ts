import { ensurePromtool, RULE_FILES, RULE_TEST_FILES, runPromtool } from './promtool';

/** A cold build of promtool takes minutes on 2 cores; once built, it is reused from .tools/. */
const BUILD_TIMEOUT_MS = 20 * 60_000;
/** promtool evaluates every rule test minute by minute: seconds on a loaded machine, not milliseconds. */
const PROMTOOL_TIMEOUT_MS = 60_000;

describe('the Prometheus rules in ops/prometheus', () => {
  let promtool: string;

  // No promtool, no pass: a failed build fails these tests rather than skipping them.
  beforeAll(async () => {
    promtool = await ensurePromtool((line) => process.stderr.write(`[promtool build] ${line}\n`));
  }, BUILD_TIMEOUT_MS);

  it(
    'pass `promtool check rules`',
    async () => {
      const run = await runPromtool(promtool, ['check', 'rules', ...RULE_FILES]);
      expect(run).toEqual({ code: 0, output: expect.stringContaining('SUCCESS') as unknown });
    },
    PROMTOOL_TIMEOUT_MS,
  );

  it(
    'pass their unit tests: every alert firing and not firing on synthetic series (`promtool test rules`)',
    async () => {
      const run = await runPromtool(promtool, ['test', 'rules', ...RULE_TEST_FILES]);
      expect(run).toEqual({ code: 0, output: expect.stringContaining('SUCCESS') as unknown });
    },
    PROMTOOL_TIMEOUT_MS,
  );
});
