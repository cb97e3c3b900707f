import type { ApiProblem } from '../problems/api-problem';
import type { PaymentRunOutcome } from './payment-run-outcome';
import { dialectForPath } from './dialect-for-path';
import { ordersDialect } from './orders-dialect';
import { walletConnectDialect } from './wallet-connect-dialect';

const order = { id: 'ORD01J49MMW3SSBK5PSV3DFR32959', status: 'processed' };

describe('response dialects', () => {
  it.each([ordersDialect, walletConnectDialect])("answer a finished run with the upstream's status and body, marking replays", (dialect) => {
    expect(dialect.outcome({ kind: 'answered', result: { status: 201, body: order }, replayed: false })).toEqual({ status: 201, body: order, headers: {} });
    expect(dialect.outcome({ kind: 'answered', result: { status: 402, body: order }, replayed: true })).toEqual({
      status: 402,
      body: order,
      headers: { 'Idempotent-Replayed': 'true' },
    });
  });

  it.each<[PaymentRunOutcome['kind'], number, string, Record<string, string>]>([
    ['still_running', 423, 'resource_locked', { 'Retry-After': '1' }],
    ['key_reused', 409, 'idempotency_key_already_used', {}],
    ['gave_up', 500, 'internal_error', {}],
    ['unverifiable', 500, 'idempotency_validation_failed', {}],
  ])('Orders: %s → %i %s', (kind, status, code, headers) => {
    expect(ordersDialect.outcome({ kind } as PaymentRunOutcome)).toEqual({
      status,
      body: { errors: [{ code, message: expect.any(String) as string }] },
      headers,
    });
  });

  it('Wallet Connect: still running → 409 with cause 401001, as documented', () => {
    expect(walletConnectDialect.outcome({ kind: 'still_running' })).toEqual({
      status: 409,
      headers: { 'Retry-After': '1' },
      body: {
        status: '409',
        error: 'Conflict',
        message: 'The process has not been completed yet. Try again later.',
        cause: [{ code: '401001', message: 'The process has not been completed yet. Try again later.', data: null }],
      },
    });
  });

  it('Wallet Connect: key reused → 422 with cause 422001, as documented', () => {
    expect(walletConnectDialect.outcome({ kind: 'key_reused' })).toEqual({
      status: 422,
      headers: {},
      body: {
        status: '422',
        error: 'Unprocessable entity',
        message: 'Idempotency key already used.',
        cause: [{ code: '422001', message: 'Idempotency key already used.', data: null }],
      },
    });
  });

  it.each<[ApiProblem, number, string]>([
    ['unauthorized', 401, 'unauthorized'],
    ['missing_idempotency_key', 400, 'bad_request'],
    ['invalid_body', 400, 'bad_request'],
    ['internal_error', 500, 'internal_server_error'],
  ])('Wallet Connect: problem %s → %i %s in the {status, error, message, cause} shape', (problem, status, error) => {
    const answer = walletConnectDialect.problem(problem, 'detail for the caller');
    expect(answer.status).toBe(status);
    expect(answer.body).toMatchObject({ status: String(status), error, cause: [{ message: 'detail for the caller', data: null }] });
  });

  it('picks the dialect by API family', () => {
    expect(dialectForPath('/v1/advanced_payments')).toBe(walletConnectDialect);
    expect(dialectForPath('/v1/advanced_payments/123')).toBe(walletConnectDialect);
    expect(dialectForPath('/V1/Advanced_Payments')).toBe(walletConnectDialect);
    expect(dialectForPath('/v1/advanced_paymentsX')).toBe(ordersDialect);
    expect(dialectForPath('/v1/orders/ORD1/process')).toBe(ordersDialect);
    expect(dialectForPath('/nowhere')).toBe(ordersDialect);
    // The codec lives on the operator port: here its paths are unknown routes like any other.
    expect(dialectForPath('/codec/decode')).toBe(ordersDialect);
  });
});
