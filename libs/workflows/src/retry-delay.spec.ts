import { retryDelayMs } from './retry-delay';

const schedule = { initialIntervalMs: 100, maximumIntervalMs: 1_000 };

describe('retryDelayMs', () => {
  it('doubles from the initial interval up to the maximum, never below half of each step', () => {
    const lowest = [1, 2, 3, 4, 5, 6].map((attempt) => retryDelayMs(schedule, attempt, null, () => 0));
    const highest = [1, 2, 3, 4, 5, 6].map((attempt) => retryDelayMs(schedule, attempt, null, () => 1));

    expect(lowest).toEqual([50, 100, 200, 400, 500, 500]);
    expect(highest).toEqual([100, 200, 400, 800, 1_000, 1_000]);
  });

  it('spreads duplicates with jitter', () => {
    expect(retryDelayMs(schedule, 3, null, () => 0.5)).toBe(300);
  });

  it("waits at least the upstream's Retry-After, even past the maximum interval", () => {
    expect(retryDelayMs(schedule, 1, 5_000, () => 1)).toBe(5_000);
    expect(retryDelayMs(schedule, 4, 10, () => 1)).toBe(800);
  });
});
