import type { JsonObject } from '@app/contracts/json';
import { noEffect, type ApiRoute } from '../api-route';
import { numericIdFor } from '../auth/access-tokens';
import { rfc3339Millis, type Clock } from '../clock';
import { walletDialect } from '../errors/error-dialect';
import { walletBadRequest, walletCause, walletError } from '../errors/wallet-errors';
import { NumericIdSequence } from '../ids';
import { centsToNumber, numberToCents } from '../money';
import { isPlainObject, optional, required, validate, type Schema } from '../validation/closed-schema';
import type { AdvancedPaymentStore } from './advanced-payment-store';
import { outcomeForPayerToken, type PayerTokenOutcome } from './payer-tokens';

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

interface AdvancedPaymentBody {
  wallet_payment: { transaction_amount: number; description?: string; external_reference?: string };
  payer: { token: string };
}

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
        const request = body as unknown as AdvancedPaymentBody;
        const outcome = outcomeForPayerToken(request.payer.token);
        if (outcome === 'invalid_payer_token') {
          return noEffect(walletError(401, 'unauthorized', 'Invalid payer token.', [walletCause('401003', 'Invalid payer token')]));
        }
        const id = paymentIds.take();
        const view = advancedPaymentView({
          id,
          chargeId: outcome === 'rejected_insufficient_money' ? null : chargeIds.take(),
          outcome,
          request,
          collectorId: numericIdFor(accessToken),
          nowMs: clock.nowMs(),
        });
        payments.save({ id, ownerToken: accessToken, view });
        // Mercado Pago answers an approval with 200 and a rejection with 201.
        return { status: outcome === 'approved' ? 200 : 201, body: view, effect: true };
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
        return noEffect({ status: 200, body: payment.view });
      },
    },
  ];
}

interface ViewInput {
  id: number;
  /** null when no card or wallet charge was attempted (insufficient money). */
  chargeId: number | null;
  outcome: Exclude<PayerTokenOutcome, 'invalid_payer_token'>;
  request: AdvancedPaymentBody;
  collectorId: number;
  nowMs: number;
}

/**
 * An approved or rejected advanced payment with its one charge, shaped as the "Successful
 * response" of https://www.mercadopago.com.ar/developers/en/docs/wallet-connect/payment-flow/idempotency/responses
 * and the "Payment approved" and "Payment rejected…" sections of
 * https://www.mercadopago.com.ar/developers/en/docs/wallet-connect/payment-flow/capture-payment/responses
 */
function advancedPaymentView({ id, chargeId, outcome, request, collectorId, nowMs }: ViewInput): JsonObject {
  const { description, external_reference: externalReference } = request.wallet_payment;
  const amount = centsToNumber(numberToCents(request.wallet_payment.transaction_amount) ?? 0);
  const optionalFields: JsonObject = {};
  if (description !== undefined) optionalFields.description = description;
  if (externalReference !== undefined) optionalFields.external_reference = externalReference;
  const charge: JsonObject =
    outcome === 'rejected_insufficient_money'
      ? { payment_type_id: 'account_money', payment_method_id: 'account_money' }
      : { payment_type_id: 'credit_card', payment_method_id: 'visa', installments: 1 };
  if (outcome === 'rejected_other_reason') charge.issuer_id = 25;
  const statusDetail = { approved: 'accredited', rejected_other_reason: 'cc_rejected_other_reason', rejected_insufficient_money: 'insufficient_money' }[outcome];
  const status = outcome === 'approved' ? 'approved' : 'rejected';
  const timestamp = rfc3339Millis(nowMs);
  return {
    id,
    status,
    wallet_payment: { transaction_amount: amount, ...optionalFields },
    payments: [{ id: chargeId, status, status_detail: statusDetail, ...charge, transaction_amount: amount, capture: true, ...optionalFields }],
    disbursements: [{ collector_id: String(collectorId) }],
    payer: { id: numericIdFor(request.payer.token) },
    site_id: 'MLB',
    binary_mode: true,
    date_created: timestamp,
    date_last_updated: timestamp,
  };
}
