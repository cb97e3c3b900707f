import { eventually } from './temporal-assertions';

describe('eventually', () => {
  it('returns the first value its condition accepts', async () => {
    let reads = 0;
    const value = await eventually(
      () => Promise.resolve(++reads),
      (read) => read === 2,
    );
    expect(value).toBe(2);
  });

  it('throws once its time is up, naming the last value it read', async () => {
    let reads = 0;
    await expect(
      eventually(
        () => Promise.resolve({ reads: ++reads, state: 'in_progress' }),
        () => false,
        300,
      ),
    ).rejects.toThrow(/not done after 300 ms; last value: \{ reads: \d+, state: 'in_progress' \}/);
  });
});
