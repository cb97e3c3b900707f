import { readSoakPlan } from './soak-plan';

describe('readSoakPlan', () => {
  it('soaks for 25 minutes on the dev server by default, sampling every 30 s and restarting a worker every 4 minutes', () => {
    const plan = readSoakPlan([]);
    expect(plan).toMatchObject({ minutes: 25, temporal: 'dev-server', sampleSeconds: 30, workerRestartMinutes: 4 });
  });

  it('takes the run length and the cluster from the command line', () => {
    expect(readSoakPlan(['--minutes', '2', '--temporal', 'postgres'])).toMatchObject({ minutes: 2, temporal: 'postgres' });
  });

  it('refuses a run length outside 1–60 minutes, and anything but a number', () => {
    expect(() => readSoakPlan(['--minutes', '0'])).toThrow(/--minutes takes a number from 1 to 60, not "0"/);
    expect(() => readSoakPlan(['--minutes', '600'])).toThrow(/--minutes takes a number from 1 to 60/);
    expect(() => readSoakPlan(['--sample-seconds', 'often'])).toThrow(/--sample-seconds takes a number from 5 to 300/);
    expect(() => readSoakPlan(['--temporal', 'cassandra'])).toThrow(/--temporal takes dev-server or postgres/);
    expect(() => readSoakPlan(['--hours', '1'])).toThrow(/Unknown option '--hours'/);
  });

  it('keeps follow-ups polling within their horizon, so none ends by it during a run', () => {
    const { apiEnvironment, minutes } = readSoakPlan(['--minutes', '60']);
    expect(Number(apiEnvironment.FOLLOW_UP_POLL_INITIAL_MS)).toBeLessThanOrEqual(Number(apiEnvironment.FOLLOW_UP_POLL_MAX_INTERVAL_MS));
    expect(Number(apiEnvironment.FOLLOW_UP_HORIZON_MS)).toBeGreaterThan(minutes * 60_000 + readSoakPlan([]).drainTimeoutMs);
  });
});
