import { readDrillPlan } from './drill-plan';

describe('readDrillPlan --temporal', () => {
  it('runs on the dev server by default, without the PostgreSQL drill', () => {
    const plan = readDrillPlan(['--quick'], {});
    expect(plan.temporal).toBe('dev-server');
    expect(plan.drills).toContain('kill-temporal');
    expect(plan.drills).not.toContain('kill-postgres');
    expect(() => readDrillPlan(['--only', 'kill-postgres'], {})).toThrow(/unknown drill kill-postgres/);
  });

  it('adds the PostgreSQL drill on the cluster', () => {
    const plan = readDrillPlan(['--temporal', 'postgres'], {});
    expect(plan.temporal).toBe('postgres');
    expect(plan.drills).toEqual(expect.arrayContaining(['kill-worker', 'kill-api', 'kill-temporal', 'kill-postgres']));
  });

  it('rolls out on the cluster in full runs, and in quick ones only when named', () => {
    expect(readDrillPlan(['--temporal', 'postgres'], {}).drills.at(-1)).toBe('rollout');
    expect(readDrillPlan(['--quick', '--temporal', 'postgres'], {}).drills).not.toContain('rollout');
    expect(readDrillPlan(['--quick', '--temporal', 'postgres', '--only', 'rollout'], {}).drills).toEqual(['rollout']);
    expect(() => readDrillPlan(['--only', 'rollout'], {})).toThrow(/unknown drill rollout/);
  });

  it('refuses another Temporal', () => {
    expect(() => readDrillPlan(['--temporal', 'cassandra'], {})).toThrow(/--temporal takes dev-server or postgres/);
  });
});

describe('readDrillPlan --scenario', () => {
  it('runs the long-outage drills alone, with a budget they outlast and a load that holds the outage', () => {
    const plan = readDrillPlan(['--scenario', 'long-outage', '--quick'], {});
    expect(plan.drills).toEqual(['long-outage', 'long-outage-paused']);
    expect(plan.apiEnvironment.UPSTREAM_RETRY_BUDGET_MS).toBe('4000');
    expect(plan.loadSeconds).toBe(20);
  });

  it('refuses a scenario it does not know', () => {
    expect(() => readDrillPlan(['--scenario', 'meteor'], {})).toThrow(/unknown scenario meteor/);
  });
});
