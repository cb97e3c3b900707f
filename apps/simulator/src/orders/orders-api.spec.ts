import { isValidOrderId } from '../ids';
import { OTHER_ACCESS_TOKEN, orderBody, SimulatorHarness, type OrderReply, type OrdersErrorReply } from '../testing/simulator-harness';

const RFC3339_NANOS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z$/;

describe('Orders API contract', () => {
  let simulator: SimulatorHarness;

  beforeAll(async () => {
    simulator = await SimulatorHarness.start();
  });
  afterAll(() => simulator.close());
  beforeEach(() => simulator.reset());

  const codes = (body: OrdersErrorReply) => body.errors.map((error) => error.code);

  describe('POST /v1/orders', () => {
    it('201: an automatic order with an APRO card is processed at once, in the documented shape', async () => {
      const reply = await simulator.createOrder('APRO');
      expect(reply.status).toBe(201);
      const order = reply.body;
      expect(isValidOrderId(order.id)).toBe(true);
      expect(order).toMatchObject({
        type: 'online',
        processing_mode: 'automatic',
        capture_mode: 'automatic',
        external_reference: 'ext_ref_1234',
        total_amount: '200.00',
        status: 'processed',
        status_detail: 'accredited',
        country_code: 'BRA',
        user_id: expect.stringMatching(/^\d+$/) as string,
      });
      expect(order.created_date).toMatch(RFC3339_NANOS);
      expect(order.last_updated_date).toMatch(RFC3339_NANOS);
      const payment = order.transactions?.payments[0];
      expect(payment).toMatchObject({ amount: '200.00', status: 'processed', status_detail: 'accredited' });
      expect(payment?.id).toMatch(/^PAY[0-9A-Z]{26}$/);
      expect(payment?.reference_id).toMatch(/^[0-9A-Z]{26}$/);
      expect(payment?.payment_method).toMatchObject({ id: 'master', type: 'credit_card', installments: 1 });
    });

    it('201: a manual order waits in created/created', async () => {
      const reply = await simulator.createOrder('APRO', { processing_mode: 'manual' });
      expect(reply.status).toBe(201);
      expect(reply.body).toMatchObject({ processing_mode: 'manual', status: 'created', status_detail: 'created' });
      expect(reply.body.transactions?.payments[0]).toMatchObject({ status: 'created', status_detail: 'created' });
    });

    it('201: a manual order may leave transactions null', async () => {
      const reply = await simulator.post<OrderReply>('/v1/orders', { body: orderBody('unused', { processing_mode: 'manual', transactions: null }) });
      expect(reply.status).toBe(201);
      expect(reply.body.transactions).toBeUndefined();
    });

    it('201: capture_mode manual stops at action_required/waiting_capture', async () => {
      const reply = await simulator.createOrder('APRO', { capture_mode: 'manual' });
      expect(reply.status).toBe(201);
      expect(reply.body).toMatchObject({ capture_mode: 'manual', status: 'action_required', status_detail: 'waiting_capture' });
    });

    it('402: an automatic order with a declined card is created failed and returned under data', async () => {
      const reply = await simulator.createOrder<OrdersErrorReply>('OTHE');
      expect(reply.status).toBe(402);
      const paymentId = reply.body.data?.transactions?.payments[0]?.id;
      expect(reply.body.errors).toEqual([{ code: 'failed', message: 'The following transactions failed', details: [`${paymentId}: rejected_by_issuer`] }]);
      expect(reply.body.data).toMatchObject({ status: 'failed', status_detail: 'failed' });
      const stored = await simulator.get<OrderReply>(`/v1/orders/${reply.body.data?.id}`);
      expect(stored.body.status).toBe('failed');
    });

    it('400 unsupported_properties names each unknown property', async () => {
      const token = await simulator.cardToken('APRO');
      const reply = await simulator.post('/v1/orders', { body: orderBody(token, { notification_url: 'https://x', payer: { email: 'a@testuser.com', age: 3 } }) });
      expect(reply.status).toBe(400);
      expect(reply.body.errors).toEqual([
        {
          code: 'unsupported_properties',
          message: 'Properties not supported',
          details: ["additionalProperties '$.payer.age' not allowed", "additionalProperties '$.notification_url' not allowed"],
        },
      ]);
    });

    it('400 property_type for a number where an amount string is expected', async () => {
      const token = await simulator.cardToken('APRO');
      const reply = await simulator.post('/v1/orders', { body: orderBody(token, { total_amount: 200 }) });
      expect(reply.status).toBe(400);
      expect(reply.body.errors[0]).toMatchObject({ code: 'property_type', details: ['$.total_amount: expected string, but got integer'] });
    });

    it('400 required_properties, property_value and maximum_items', async () => {
      const token = await simulator.cardToken('APRO');
      const payment = { amount: '100.00', payment_method: { id: 'visa', type: 'credit_card', token } };
      const reply = await simulator.post('/v1/orders', {
        body: orderBody(token, { type: 'point', payer: {}, transactions: { payments: [payment, payment] } }),
      });
      expect(reply.status).toBe(400);
      expect(codes(reply.body)).toEqual(['property_value', 'required_properties', 'maximum_items']);
      expect(reply.body.errors[2]?.details).toEqual(['$.transactions.payments: maximum 1 items required, but found 2']);
    });

    it('400 required_properties when an automatic order has no transactions', async () => {
      const reply = await simulator.post('/v1/orders', { body: orderBody('unused', { transactions: undefined }) });
      expect(reply.status).toBe(400);
      expect(reply.body.errors[0]?.details?.[0]).toContain('$.transactions');
    });

    it('400 invalid_total_amount when the total differs from the payments or is zero', async () => {
      const token = await simulator.cardToken('APRO');
      const mismatch = await simulator.post('/v1/orders', { body: orderBody(token, { total_amount: '199.99' }) });
      expect(mismatch.status).toBe(400);
      expect(codes(mismatch.body)).toEqual(['invalid_total_amount']);
      const zero = await simulator.post('/v1/orders', { body: orderBody(token, { processing_mode: 'manual', transactions: null, total_amount: '0.00' }) });
      expect(codes(zero.body)).toEqual(['invalid_total_amount']);
    });

    it('400 invalid_email_for_sandbox unless the payer is a test user', async () => {
      const token = await simulator.cardToken('APRO');
      const reply = await simulator.post('/v1/orders', { body: orderBody(token, { payer: { email: 'buyer@gmail.com' } }) });
      expect(reply.status).toBe(400);
      expect(codes(reply.body)).toEqual(['invalid_email_for_sandbox']);
    });

    it('400: every problem comes back in one body', async () => {
      const token = await simulator.cardToken('APRO');
      const reply = await simulator.post('/v1/orders', {
        body: orderBody(token, { total_amount: '1.00', payer: { email: 'buyer@gmail.com' }, foo: 1 }),
      });
      expect(codes(reply.body)).toEqual(['unsupported_properties', 'invalid_total_amount', 'invalid_email_for_sandbox']);
    });

    it('400 json_syntax_error for malformed JSON', async () => {
      const reply = await simulator.post('/v1/orders', { rawBody: '{"type": "online",' });
      expect(reply.status).toBe(400);
      expect(codes(reply.body)).toEqual(['json_syntax_error']);
    });
  });

  describe('authentication', () => {
    it.each([
      ['no Authorization header', null, 'unauthorized'],
      ['an unknown token', 'APP_USR-unknown', 'unauthorized'],
      ['a TEST- token, even one that is configured', 'TEST-configured-but-refused', 'invalid_credentials'],
    ])('401 for %s', async (_case, token, code) => {
      const reply = await simulator.post('/v1/orders', { body: {}, token });
      expect(reply.status).toBe(401);
      expect(codes(reply.body)).toEqual([code]);
    });

    it('401 applies to reads too, and orders are private to their seller', async () => {
      const order = await simulator.createOrder('APRO');
      expect((await simulator.get(`/v1/orders/${order.body.id}`, { token: null })).status).toBe(401);
      const foreign = await simulator.get(`/v1/orders/${order.body.id}`, { token: OTHER_ACCESS_TOKEN });
      expect(foreign.status).toBe(404);
    });
  });

  describe('GET /v1/orders/{id}', () => {
    it('200 with the order', async () => {
      const created = await simulator.createOrder('APRO');
      const reply = await simulator.get<OrderReply>(`/v1/orders/${created.body.id}`);
      expect(reply.status).toBe(200);
      expect(reply.body).toEqual(created.body);
    });

    it('400 invalid_path_param and 404 order_not_found', async () => {
      const invalid = await simulator.get('/v1/orders/ord-123');
      expect(invalid.status).toBe(400);
      expect(codes(invalid.body)).toEqual(['invalid_path_param']);
      const missing = await simulator.get('/v1/orders/ORD01J49MMW3SSBK5PSV3DFR32959');
      expect(missing.status).toBe(404);
      expect(codes(missing.body)).toEqual(['order_not_found']);
    });
  });

  describe('POST /v1/orders/{id}/process', () => {
    it('200 processed/accredited for APRO', async () => {
      const reply = await simulator.processedOrder('APRO');
      expect(reply.status).toBe(200);
      expect(reply.body).toMatchObject({ status: 'processed', status_detail: 'accredited' });
      expect(reply.body.transactions?.payments[0]).toMatchObject({ status: 'processed', status_detail: 'accredited' });
    });

    it('200 action_required/waiting_capture for APRO with capture_mode manual', async () => {
      const reply = await simulator.processedOrder('APRO', { capture_mode: 'manual' });
      expect(reply.status).toBe(200);
      expect(reply.body).toMatchObject({ status: 'action_required', status_detail: 'waiting_capture' });
    });

    it('200 processing/in_process for CONT', async () => {
      const reply = await simulator.processedOrder('CONT');
      expect(reply.status).toBe(200);
      expect(reply.body).toMatchObject({ status: 'processing', status_detail: 'in_process' });
      expect(reply.body.transactions?.payments[0]).toMatchObject({ status: 'processing', status_detail: 'pending_review_manual' });
    });

    it('402 failed with the order under data for a declined card', async () => {
      const created = await simulator.createOrder('FUND', { processing_mode: 'manual' });
      const reply = await simulator.post<OrdersErrorReply>(`/v1/orders/${created.body.id}/process`);
      expect(reply.status).toBe(402);
      const paymentId = created.body.transactions?.payments[0]?.id;
      expect(reply.body.errors[0]).toEqual({ code: 'failed', message: 'The following transactions failed', details: [`${paymentId}: insufficient_amount`] });
      expect(reply.body.data).toMatchObject({ id: created.body.id, status: 'failed', status_detail: 'failed' });
      expect(reply.body.data?.transactions?.payments[0]).toMatchObject({ status: 'failed', status_detail: 'insufficient_amount' });
    });

    it('400 invalid_path_param, 404 order_not_found', async () => {
      expect(codes((await simulator.post('/v1/orders/nope/process')).body)).toEqual(['invalid_path_param']);
      const missing = await simulator.post('/v1/orders/ORDTST01KYMB0S1TKGKCWFSB1ZRR3EW7/process');
      expect(missing.status).toBe(404);
      expect(codes(missing.body)).toEqual(['order_not_found']);
    });

    it('400 invalid_order_mode_for_operation for an automatic order', async () => {
      const created = await simulator.createOrder('APRO');
      const reply = await simulator.post(`/v1/orders/${created.body.id}/process`);
      expect(reply.status).toBe(400);
      expect(codes(reply.body)).toEqual(['invalid_order_mode_for_operation']);
    });

    it('400 order_builder_without_transactions', async () => {
      const created = await simulator.post<OrderReply>('/v1/orders', { body: orderBody('unused', { processing_mode: 'manual', transactions: null }) });
      const reply = await simulator.post(`/v1/orders/${created.body.id}/process`);
      expect(reply.status).toBe(400);
      expect(codes(reply.body)).toEqual(['order_builder_without_transactions']);
    });

    it('409 operation_not_supported when processed again with a new key', async () => {
      const processed = await simulator.processedOrder('APRO');
      const reply = await simulator.post(`/v1/orders/${processed.body.id}/process`);
      expect(reply.status).toBe(409);
      expect(codes(reply.body)).toEqual(['operation_not_supported']);
    });
  });

  describe('POST /v1/orders/{id}/capture', () => {
    it('200 processed/accredited from action_required/waiting_capture', async () => {
      const authorized = await simulator.createOrder('APRO', { capture_mode: 'manual' });
      const reply = await simulator.post<OrderReply>(`/v1/orders/${authorized.body.id}/capture`);
      expect(reply.status).toBe(200);
      expect(reply.body).toMatchObject({ status: 'processed', status_detail: 'accredited' });
      expect(reply.body.transactions?.payments[0]).toMatchObject({ status: 'processed', status_detail: 'accredited' });
    });

    it('409 cannot_capture_order from any other status', async () => {
      const processed = await simulator.createOrder('APRO');
      const reply = await simulator.post(`/v1/orders/${processed.body.id}/capture`);
      expect(reply.status).toBe(409);
      expect(codes(reply.body)).toEqual(['cannot_capture_order']);
    });

    it('400 and 404 for bad or unknown ids', async () => {
      expect((await simulator.post('/v1/orders/x/capture')).status).toBe(400);
      expect((await simulator.post('/v1/orders/ORD01J49MMW3SSBK5PSV3DFR32959/capture')).status).toBe(404);
    });
  });

  describe('POST /v1/orders/{id}/cancel', () => {
    it('200 canceled from created', async () => {
      const created = await simulator.createOrder('APRO', { processing_mode: 'manual' });
      const reply = await simulator.post<OrderReply>(`/v1/orders/${created.body.id}/cancel`);
      expect(reply.status).toBe(200);
      expect(reply.body).toMatchObject({ status: 'canceled', status_detail: 'canceled' });
      expect(reply.body.transactions?.payments[0]).toMatchObject({ status: 'canceled', status_detail: 'canceled_transaction' });
    });

    it('200 canceled from action_required, then 409 order_already_canceled', async () => {
      const authorized = await simulator.createOrder('APRO', { capture_mode: 'manual' });
      expect((await simulator.post(`/v1/orders/${authorized.body.id}/cancel`)).status).toBe(200);
      const again = await simulator.post(`/v1/orders/${authorized.body.id}/cancel`);
      expect(again.status).toBe(409);
      expect(codes(again.body)).toEqual(['order_already_canceled']);
    });

    it('409 cannot_cancel_order once processed', async () => {
      const processed = await simulator.createOrder('APRO');
      const reply = await simulator.post(`/v1/orders/${processed.body.id}/cancel`);
      expect(reply.status).toBe(409);
      expect(codes(reply.body)).toEqual(['cannot_cancel_order']);
    });

    it('400 and 404 for bad or unknown ids', async () => {
      expect((await simulator.post('/v1/orders/x/cancel')).status).toBe(400);
      expect((await simulator.post('/v1/orders/ORD01J49MMW3SSBK5PSV3DFR32959/cancel')).status).toBe(404);
    });
  });

  describe('POST /v1/orders/{id}/refund', () => {
    it('201 full refund with an empty body: processed/refunded', async () => {
      const processed = await simulator.createOrder('APRO');
      const reply = await simulator.post<OrderReply>(`/v1/orders/${processed.body.id}/refund`);
      expect(reply.status).toBe(201);
      expect(reply.body).toMatchObject({ status: 'processed', status_detail: 'refunded' });
      const payment = reply.body.transactions?.payments[0];
      expect(payment).toMatchObject({ status: 'refunded', status_detail: 'refunded', refunded_amount: '200.00' });
      expect(reply.body.transactions?.refunds).toEqual([
        { id: expect.stringMatching(/^REF[0-9A-Z]{26}$/) as string, transaction_id: payment?.id, reference_id: expect.any(String) as string, amount: '200.00', status: 'processed' },
      ]);
    });

    it('201 partial refunds: partially_refunded, then refunded once nothing is left', async () => {
      const processed = await simulator.createOrder('APRO');
      const paymentId = processed.body.transactions?.payments[0]?.id ?? '';
      const path = `/v1/orders/${processed.body.id}/refund`;
      const first = await simulator.post<OrderReply>(path, { body: { transactions: [{ id: paymentId, amount: '50.00' }] } });
      expect(first.status).toBe(201);
      expect(first.body).toMatchObject({ status: 'processed', status_detail: 'partially_refunded' });
      expect(first.body.transactions?.payments[0]).toMatchObject({ status: 'processed', status_detail: 'partially_refunded', refunded_amount: '50.00' });
      const rest = await simulator.post<OrderReply>(path, { body: { transactions: [{ id: paymentId, amount: '150.00' }] } });
      expect(rest.body).toMatchObject({ status: 'processed', status_detail: 'refunded' });
      expect(rest.body.transactions?.refunds?.map((refund) => refund.amount)).toEqual(['50.00', '150.00']);
    });

    it('400 refund_amount_exceeds and 404 transaction_not_found', async () => {
      const processed = await simulator.createOrder('APRO');
      const paymentId = processed.body.transactions?.payments[0]?.id ?? '';
      const path = `/v1/orders/${processed.body.id}/refund`;
      const tooMuch = await simulator.post(path, { body: { transactions: [{ id: paymentId, amount: '200.01' }] } });
      expect(tooMuch.status).toBe(400);
      expect(codes(tooMuch.body)).toEqual(['refund_amount_exceeds']);
      const unknown = await simulator.post(path, { body: { transactions: [{ id: 'PAY01J67CQQH5904WDBVZEM4JMEP3', amount: '1.00' }] } });
      expect(unknown.status).toBe(404);
      expect(codes(unknown.body)).toEqual(['transaction_not_found']);
    });

    it('400 for a malformed refund body', async () => {
      const processed = await simulator.createOrder('APRO');
      const reply = await simulator.post(`/v1/orders/${processed.body.id}/refund`, { body: { transactions: [{ id: 'x', amount: 5 }], reason: 'x' } });
      expect(reply.status).toBe(400);
      expect(codes(reply.body)).toEqual(['property_type', 'unsupported_properties']);
    });

    it('409 order_already_refunded and 409 cannot_refund_order', async () => {
      const processed = await simulator.createOrder('APRO');
      await simulator.post(`/v1/orders/${processed.body.id}/refund`);
      const again = await simulator.post(`/v1/orders/${processed.body.id}/refund`);
      expect(again.status).toBe(409);
      expect(codes(again.body)).toEqual(['order_already_refunded']);
      const created = await simulator.createOrder('APRO', { processing_mode: 'manual' });
      const early = await simulator.post(`/v1/orders/${created.body.id}/refund`);
      expect(early.status).toBe(409);
      expect(codes(early.body)).toEqual(['cannot_refund_order']);
    });

    it('400 and 404 for bad or unknown ids', async () => {
      expect((await simulator.post('/v1/orders/x/refund')).status).toBe(400);
      expect((await simulator.post('/v1/orders/ORD01J49MMW3SSBK5PSV3DFR32959/refund')).status).toBe(404);
    });
  });
});
