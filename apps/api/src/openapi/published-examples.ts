import type { JsonObject } from '@app/contracts';

/**
 * Mercado Pago's published example bodies, transcribed once for the OpenAPI document. Some of
 * those pages use typographic quotes and trailing commas, so they are restated here as valid JSON
 * with the same fields and values; each example names the page and section it comes from.
 */

const ORDER_ID = 'ORD01J49MMW3SSBK5PSV3DFR32959';
const PAYMENT_ID = 'PAY01J67CQQH5904WDBVZEM4JMEP3';

/**
 * The order that `POST /v1/orders/{order_id}/process` answers with 200: the response example of
 * "Process order by ID", https://www.mercadopago.com.br/developers/en/reference/orders/online/process-order/post
 */
export const processedOrder: JsonObject = {
  id: ORDER_ID,
  processing_mode: 'automatic',
  external_reference: 'ext_ref_1234',
  total_amount: '24.90',
  integration_data: { application_id: '1234', integrator_id: 'dev_123', platform_id: '1234567890', sponsor: { id: '446566691' } },
  user_id: '12345',
  created_date: '2024-08-26T13:06:51.045317772Z',
  last_updated_date: '2024-08-26T13:06:51.045317772Z',
  country_code: 'BRA',
  type: 'online',
  status: 'processed',
  status_detail: 'accredited',
  capture_mode: 'manual',
  payer: {
    email: 'test@test.com',
    first_name: 'John',
    last_name: 'Doe',
    identification: { type: 'CPF', number: '99999999999' },
    phone: { area_code: '11', number: '987654321' },
    address: { zip_code: '12345678', street_name: 'Rua Teste', street_number: '123' },
  },
  transactions: {
    payments: [
      {
        id: PAYMENT_ID,
        amount: '24.90',
        reference_id: '01JEVQM899NWSQC4FYWWW7KTF9',
        status: 'processed',
        status_detail: 'accredited',
        payment_method: { id: 'visa', type: 'credit_card', token: '12345', installments: 1, statement_descriptor: 'approved' },
      },
    ],
  },
  description: 'Point Mini',
  marketplace: 'MERCADOLIVRE',
  items: [
    {
      title: 'Point Mini',
      unit_price: '12.90',
      quantity: 4,
      description: 'Point product for card payments via Bluetooth.',
      id: '1234',
      picture_url: 'https://http2.mlstatic.com/resources/frontend/statics/growth-sellers-landings/device-mlb-point-i_medium2x.png',
      category_id: 'MLB1055',
    },
  ],
  expiration_time: 'P3Y6M4DT12H30M5S',
};

/**
 * The same order as the upstream answers a decline. "Process order by ID" (https://www.mercadopago.com.br/developers/en/reference/orders/online/process-order/post)
 * lists 402 as an order created with a failed transaction, to be read from `errors`; the body's
 * shape (the failed payment in `details`, the order under `data`) is the one integrators recorded
 * from the sandbox, which the page does not show.
 */
export const declinedOrder: JsonObject = {
  errors: [{ code: 'failed', message: 'The following transactions failed', details: [`${PAYMENT_ID}: rejected_by_issuer`] }],
  data: {
    ...processedOrder,
    status: 'failed',
    status_detail: 'failed',
    transactions: { payments: [{ id: PAYMENT_ID, amount: '24.90', status: 'failed', status_detail: 'rejected_by_issuer' }] },
  },
};

/**
 * Two codes from the response table of "Process order by ID" (https://www.mercadopago.com.br/developers/en/reference/orders/online/process-order/post):
 * 404 `order_not_found` and 400 `invalid_total_amount`, in the Orders error shape.
 */
export const upstreamOrderErrors = {
  order_not_found: { errors: [{ code: 'order_not_found', message: 'Order not found.' }] },
  invalid_total_amount: {
    errors: [{ code: 'invalid_total_amount', message: 'The total_amount is not equal to the sum of transactions.payments.amount.' }],
  },
} as const satisfies Record<string, JsonObject>;

/**
 * A manual card order as the Orders reference's "Create order" builds one:
 * https://www.mercadopago.com.br/developers/en/reference/orders/online-payments/create/post
 */
export const createOrderRequest: JsonObject = {
  type: 'online',
  processing_mode: 'manual',
  capture_mode: 'automatic',
  external_reference: 'ext_ref_1234',
  total_amount: '200.00',
  payer: { email: 'test_user_123@testuser.com' },
  transactions: {
    payments: [{ amount: '200.00', payment_method: { id: 'master', type: 'credit_card', token: 'card-token-from-the-checkout', installments: 1, statement_descriptor: 'STORE' } }],
  },
};

/**
 * A partial refund of the example order's payment; no body (or `{}`) refunds the full amount, as
 * the Orders reference's refund page says ("Reembolsar una order"):
 * https://mercadopago.com.br/developers/es/reference/order/online-payments/refund/post
 */
export const partialRefundRequest: JsonObject = { transactions: [{ id: PAYMENT_ID, amount: '10.00' }] };

/**
 * The Wallet Connect payment request of "Capture payment"
 * (https://mercadopago.com.br/developers/en/docs/wallet-connect/payment-flow/capture-payment),
 * with the description its published responses carry.
 */
export const advancedPaymentRequest: JsonObject = {
  wallet_payment: { transaction_amount: 700.5, description: 'Payment for the purchase of furniture', external_reference: 'Pago_123' },
  payer: { token: 'payer-token-from-the-wallet-agreement' },
  binary_mode: true,
};

const walletPaymentCharge = {
  id: 3870106238,
  payment_type_id: 'credit_card',
  payment_method_id: 'visa',
  transaction_amount: 700.5,
  installments: 1,
  description: 'Payment for the purchase of furniture',
  capture: true,
};

const walletPaymentCommon = {
  disbursements: [{ collector_id: 'ID_COLLECTOR' }],
  payer: { id: 786547 },
  site_id: 'MLM',
  binary_mode: true,
};

/**
 * The Wallet Connect answers to a payment, by outcome: the sections "Payment approved", "Payment
 * rejected", "Payment rejected due to insufficient funds in the account" and "Payment rejected due
 * to lack of authorization" of the capture-payment "Responses" page,
 * https://www.mercadopago.com.ar/developers/en/docs/wallet-connect/payment-flow/capture-payment/responses
 */
export const advancedPayments = {
  approved: {
    id: 10458724,
    status: 'approved',
    wallet_payment: { transaction_amount: 700.5, description: 'Payment for the purchase of furniture', external_reference: 'Pago_123' },
    payments: [{ ...walletPaymentCharge, status: 'approved', status_detail: 'accredited', external_reference: 'Pago_123' }],
    ...walletPaymentCommon,
    date_created: '2018-10-20T09:34:20.518-04:00',
    date_last_updated: '2018-10-20T09:34:20.518-04:00',
  },
  rejected: {
    id: 80458724,
    status: 'rejected',
    wallet_payment: { transaction_amount: 700.5, description: 'Payment for the purchase of furniture' },
    payments: [{ ...walletPaymentCharge, status: 'rejected', status_detail: 'cc_rejected_other_reason', issuer_id: 25 }],
    ...walletPaymentCommon,
  },
  insufficientMoney: {
    id: 90458724,
    status: 'rejected',
    wallet_payment: { transaction_amount: 700.5, description: 'Payment for the purchase of furniture' },
    payments: [
      {
        id: null,
        status: 'rejected',
        status_detail: 'insufficient_money',
        payment_type_id: 'account_money',
        payment_method_id: 'account_money',
        transaction_amount: 700.5,
        description: 'Payment for the purchase of furniture',
        capture: true,
      },
    ],
    ...walletPaymentCommon,
  },
  /** The upstream refuses a payer token whose agreement the customer cancelled. */
  invalidPayerToken: {
    status: '401',
    error: 'unauthorized',
    message: 'Invalid payer token.',
    cause: [{ code: '401003', message: 'Invalid payer token', data: null }],
  },
} as const satisfies Record<string, JsonObject>;

/**
 * The body of an "Order (Mercado Pago)" notification, with the fields the Checkout API (Orders)
 * Notifications page lists for it (action, api_version, application_id, date_created, live_mode,
 * type, user_id, and the order's id, status, status_detail, type and version under data):
 * https://www.mercadopago.com.br/developers/en/docs/checkout-api-orders/notifications
 */
export const orderNotification: JsonObject = {
  action: 'order.processed',
  api_version: 'v1',
  application_id: '1234',
  date_created: '2024-08-26T13:06:52.000Z',
  live_mode: false,
  type: 'order',
  user_id: '12345',
  data: { id: ORDER_ID, external_reference: 'ext_ref_1234', status: 'processed', status_detail: 'accredited', type: 'online', version: 3 },
};
