import { readBenchPlan } from './bench-plan';

describe('readBenchPlan --temporal', () => {
  it('measures on the dev server by default, and on the cluster when asked', () => {
    expect(readBenchPlan(['--quick'], {}).temporal).toBe('dev-server');
    expect(readBenchPlan(['--quick', '--temporal', 'postgres'], {}).temporal).toBe('postgres');
  });

  it("refuses the dev server's own options on the cluster, where they would change nothing", () => {
    for (const option of [['--temporal-pragma', 'synchronous=OFF'], ['--temporal-config', 'a.b=1'], ['--temporal-db-file']]) {
      expect(() => readBenchPlan(['--temporal', 'postgres', ...option], {})).toThrow(/change the dev server, not the cluster/);
    }
  });
});
