import { ordersAnswer } from './orders-dialect';

describe('ordersAnswer', () => {
  const order = { id: 'ORD01J49MMW3SSBK5PSV3DFR32959', status: 'processed' };

  it("answers a finished run with the upstream's status and body, marking replays", () => {
    expect(ordersAnswer({ kind: 'answered', result: { status: 200, body: order }, replayed: false })).toEqual({
      status: 200,
      body: order,
      headers: {},
    });
    expect(ordersAnswer({ kind: 'answered', result: { status: 402, body: order }, replayed: true })).toEqual({
      status: 402,
      body: order,
      headers: { 'Idempotent-Replayed': 'true' },
    });
  });

  it.each([
    ['still_running', 423, 'resource_locked'],
    ['key_reused', 409, 'idempotency_key_already_used'],
    ['gave_up', 500, 'internal_error'],
    ['unverifiable', 500, 'idempotency_validation_failed'],
  ] as const)('answers %s with %i %s', (kind, status, code) => {
    const answer = ordersAnswer({ kind });
    expect(answer.status).toBe(status);
    expect(answer.body).toEqual({ errors: [{ code, message: expect.any(String) as string }] });
  });

  it('tells a locked caller when to come back', () => {
    expect(ordersAnswer({ kind: 'still_running' }).headers).toEqual({ 'Retry-After': '1' });
  });
});
