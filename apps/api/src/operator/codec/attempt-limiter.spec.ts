import { AttemptLimiter } from './attempt-limiter';

describe('AttemptLimiter', () => {
  let now = 0;
  const limiter = () => new AttemptLimiter(3, 60_000, () => now);

  beforeEach(() => {
    now = 1_000_000;
  });

  it('lets a client fail up to its limit, then says how long to wait until its window ends', () => {
    const attempts = limiter();
    for (let failure = 0; failure < 3; failure += 1) {
      expect(attempts.retryAfterSeconds('10.0.0.1')).toBeNull();
      attempts.recordFailure('10.0.0.1');
      now += 1_000;
    }

    expect(attempts.retryAfterSeconds('10.0.0.1')).toBe(57);
    expect(attempts.retryAfterSeconds('10.0.0.2')).toBeNull();
    now += 56_500;
    expect(attempts.retryAfterSeconds('10.0.0.1')).toBe(1);
    now += 500;
    expect(attempts.retryAfterSeconds('10.0.0.1')).toBeNull();
  });

  it('starts a fresh window once the old one ended', () => {
    const attempts = limiter();
    for (let failure = 0; failure < 3; failure += 1) attempts.recordFailure('10.0.0.1');
    now += 60_000;
    attempts.recordFailure('10.0.0.1');

    expect(attempts.retryAfterSeconds('10.0.0.1')).toBeNull();
  });
});
