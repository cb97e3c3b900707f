import { isRetryableStatus } from './retryable-answers';

describe('isRetryableStatus', () => {
  it('retries what says nothing about the payment', () => {
    expect([301, 302, 303, 307, 308, 408, 423, 425, 429, 500, 502, 503, 504].every(isRetryableStatus)).toBe(true);
  });

  it('treats the upstream decisions as final', () => {
    expect([200, 201, 400, 401, 402, 403, 404, 409, 410, 422].some(isRetryableStatus)).toBe(false);
  });
});
