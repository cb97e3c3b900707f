import { noEffect, type ApiRoute } from '../api-route';
import { numericIdFor } from '../auth/access-tokens';
import type { Clock } from '../clock';
import { walletDialect } from '../errors/error-dialect';
import { walletBadRequest, walletCause, walletError } from '../errors/wallet-errors';
import { NumericIdSequence } from '../ids';
import { isPlainObject, optional, required, validate, type Schema } from '../validation/closed-schema';
import type { AdvancedPayment, AdvancedPaymentRequest } from './advanced-payment-model';
import type { AdvancedPaymentStore } from './advanced-payment-store';
import { advancedPaymentView } from './advanced-payment-view';
import { outcomeForPayerToken } from './payer-tokens';

/** Wallet Connect bodies are not closed like Orders ones: unknown fields are ignored. */
const advancedPaymentSchema: Schema = {
  kind: 'object',
  open: true,
  properties: {
    wallet_payment: required({
      kind: 'object',
      open: true,
      properties: {
        transaction_amount: required({ kind: 'number_amount', positive: true }),
        description: optional({ kind: 'string' }),
        external_reference: optional({ kind: 'string' }),
      },
    }),
    payer: required({ kind: 'object', open: true, properties: { token: required({ kind: 'string' }) } }),
    binary_mode: optional({ kind: 'boolean' }),
  },
};

export interface AdvancedPaymentRouteDependencies {
  payments: AdvancedPaymentStore;
  clock: Clock;
}

/** Wallet Connect: `POST /v1/advanced_payments` and `GET /v1/advanced_payments/{id}`. */
export function advancedPaymentRoutes({ payments, clock }: AdvancedPaymentRouteDependencies): ApiRoute[] {
  const paymentIds = new NumericIdSequence(10_000_001);
  const chargeIds = new NumericIdSequence(3_000_000_001);

  return [
    {
      method: 'POST',
      template: '/v1/advanced_payments',
      dialect: walletDialect,
      requiresIdempotencyKey: true,
      orderIdInPath: false,
      handle: ({ body, accessToken }) => {
        const issues = validate(body ?? {}, advancedPaymentSchema);
        if (issues.length > 0 || !isPlainObject(body)) {
          return noEffect(walletBadRequest(issues.map((issue) => walletCause(issue.code, issue.detail))));
        }
        const request = body as unknown as AdvancedPaymentRequest;
        const state = outcomeForPayerToken(request.payer.token, request.binary_mode === true);
        if (state === 'invalid_payer_token') {
          return noEffect(walletError(401, 'unauthorized', 'Invalid payer token.', [walletCause('401003', 'Invalid payer token')]));
        }
        const nowMs = clock.nowMs();
        const payment: AdvancedPayment = {
          id: paymentIds.take(),
          ownerToken: accessToken,
          chargeId: state === 'rejected_insufficient_money' ? null : chargeIds.take(),
          state,
          request,
          collectorId: numericIdFor(accessToken),
          binaryMode: state !== 'pending_contingency',
          createdAtMs: nowMs,
          updatedAtMs: nowMs,
          version: 1,
        };
        payments.save(payment);
        // Mercado Pago answers an approval with 200, and a rejection with 201; a pending payment too (our choice).
        return { status: state === 'approved' ? 200 : 201, body: advancedPaymentView(payment), effect: true };
      },
    },
    {
      method: 'GET',
      template: '/v1/advanced_payments/{id}',
      dialect: walletDialect,
      requiresIdempotencyKey: false,
      orderIdInPath: false,
      handle: ({ params, accessToken }) => {
        const id = params.id ?? '';
        if (!/^\d{1,15}$/.test(id)) return noEffect(walletBadRequest([walletCause('invalid_id', `'${id}' is not a numeric payment id`)]));
        const payment = payments.find(Number(id), accessToken);
        if (!payment) return noEffect(walletError(404, 'not_found', 'Advanced payment not found.'));
        return noEffect({ status: 200, body: advancedPaymentView(payment) });
      },
    },
  ];
}
