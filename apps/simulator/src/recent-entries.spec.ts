import { RecentEntries } from './recent-entries';

const numbers = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, index) => from + index);

describe('RecentEntries', () => {
  it('keeps every entry until it holds a tenth more than it keeps, then the most recent, oldest first', () => {
    const log = new RecentEntries<number>(100);
    for (const n of numbers(1, 109)) log.add(n);
    expect(log.filter(() => true)).toEqual(numbers(1, 109));

    log.add(110);
    expect(log.filter(() => true)).toEqual(numbers(11, 110));
  });

  it('never holds more than a tenth over what it keeps, however many come', () => {
    const log = new RecentEntries<number>(1_000);
    for (const n of numbers(1, 25_000)) log.add(n);
    const kept = log.filter(() => true);
    expect(kept.length).toBeGreaterThanOrEqual(1_000);
    expect(kept.length).toBeLessThan(1_100);
    expect(kept.at(-1)).toBe(25_000);
    expect(kept).toEqual(numbers(25_001 - kept.length, 25_000));
  });

  it('drops the oldest one at a time under a bound below ten, and filters', () => {
    const log = new RecentEntries<number>(3);
    for (const n of numbers(1, 10)) log.add(n);
    expect(log.filter(() => true)).toEqual([8, 9, 10]);
    expect(log.filter((n) => n % 2 === 0)).toEqual([8, 10]);
    log.clear();
    expect(log.filter(() => true)).toEqual([]);
  });
});
