import type { JsonObject } from '@app/contracts/json';
import { numericIdFor } from '../auth/access-tokens';
import { rfc3339Millis } from '../clock';
import { centsToNumber, numberToCents } from '../money';
import type { AdvancedPayment, AdvancedPaymentState } from './advanced-payment-model';

/** The advanced payment's status, and its payment's status and status_detail, per state. */
const STATUSES: Readonly<Record<AdvancedPaymentState, { status: string; statusDetail: string }>> = {
  approved: { status: 'approved', statusDetail: 'accredited' },
  rejected_other_reason: { status: 'rejected', statusDetail: 'cc_rejected_other_reason' },
  rejected_insufficient_money: { status: 'rejected', statusDetail: 'insufficient_money' },
  // "the payment may remain pending" without binary_mode (Create payment,
  // https://www.mercadopago.com.br/developers/en/reference/online-payments/wallet-connect/create-payment/post);
  // in_process/pending_contingency is how Mercado Pago's payments spell a review under way.
  pending_contingency: { status: 'in_process', statusDetail: 'pending_contingency' },
};

/** The payment's status and status_detail, which its notifications also report. */
export function advancedPaymentStatus(payment: AdvancedPayment): { status: string; statusDetail: string } {
  return STATUSES[payment.state];
}

/**
 * An advanced payment with its one charge, shaped as the "Successful response" of
 * https://www.mercadopago.com.ar/developers/en/docs/wallet-connect/payment-flow/idempotency/responses
 * and the "Payment approved" and "Payment rejected…" sections of
 * https://www.mercadopago.com.ar/developers/en/docs/wallet-connect/payment-flow/capture-payment/responses.
 * Creation answers it and `GET /v1/advanced_payments/{id}` reads it.
 */
export function advancedPaymentView(payment: AdvancedPayment): JsonObject {
  const { request, state } = payment;
  const { description, external_reference: externalReference } = request.wallet_payment;
  const amount = centsToNumber(numberToCents(request.wallet_payment.transaction_amount) ?? 0);
  const optionalFields: JsonObject = {};
  if (description !== undefined) optionalFields.description = description;
  if (externalReference !== undefined) optionalFields.external_reference = externalReference;
  const charge: JsonObject =
    state === 'rejected_insufficient_money'
      ? { payment_type_id: 'account_money', payment_method_id: 'account_money' }
      : { payment_type_id: 'credit_card', payment_method_id: 'visa', installments: 1 };
  if (state === 'rejected_other_reason') charge.issuer_id = 25;
  const { status, statusDetail } = advancedPaymentStatus(payment);
  return {
    id: payment.id,
    status,
    wallet_payment: { transaction_amount: amount, ...optionalFields },
    payments: [{ id: payment.chargeId, status, status_detail: statusDetail, ...charge, transaction_amount: amount, capture: true, ...optionalFields }],
    disbursements: [{ collector_id: String(payment.collectorId) }],
    payer: { id: numericIdFor(request.payer.token) },
    site_id: 'MLB',
    binary_mode: payment.binaryMode,
    date_created: rfc3339Millis(payment.createdAtMs),
    date_last_updated: rfc3339Millis(payment.updatedAtMs),
  };
}
