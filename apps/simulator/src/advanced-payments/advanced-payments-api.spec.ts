import { advancedPaymentBody as paymentBody, SimulatorHarness, type AdvancedPaymentReply, type WalletErrorReply } from '../testing/simulator-harness';

describe('Wallet Connect advanced payments contract', () => {
  let simulator: SimulatorHarness;

  beforeAll(async () => {
    simulator = await SimulatorHarness.start();
  });
  afterAll(() => simulator.close());
  beforeEach(() => simulator.reset());

  it('200 approved for an APRO payer token, in the shape of the samples', async () => {
    const reply = await simulator.post<AdvancedPaymentReply>('/v1/advanced_payments', { body: paymentBody('APRO-wallet-1') });
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({
      id: expect.any(Number) as number,
      status: 'approved',
      wallet_payment: { transaction_amount: 700.5, description: 'Payment for the purchase of furniture', external_reference: 'Pago_123' },
      payments: [
        {
          id: expect.any(Number) as number,
          status: 'approved',
          status_detail: 'accredited',
          payment_type_id: 'credit_card',
          payment_method_id: 'visa',
          transaction_amount: 700.5,
          capture: true,
        },
      ],
      payer: { id: expect.any(Number) as number },
      binary_mode: true,
      disbursements: [{ collector_id: expect.stringMatching(/^\d+$/) as string }],
    });
  });

  it('201 rejected cc_rejected_other_reason for OTHE', async () => {
    const reply = await simulator.post<AdvancedPaymentReply>('/v1/advanced_payments', { body: paymentBody('OTHE-wallet') });
    expect(reply.status).toBe(201);
    expect(reply.body.status).toBe('rejected');
    expect(reply.body.payments[0]).toMatchObject({ status: 'rejected', status_detail: 'cc_rejected_other_reason', issuer_id: 25 });
  });

  it('201 rejected insufficient_money for FUND, with no charge id', async () => {
    const reply = await simulator.post<AdvancedPaymentReply>('/v1/advanced_payments', { body: paymentBody('FUND-wallet') });
    expect(reply.status).toBe(201);
    expect(reply.body.payments[0]).toMatchObject({ id: null, status: 'rejected', status_detail: 'insufficient_money', payment_type_id: 'account_money' });
  });

  it('401 invalid payer token (cause 401003) for any other payer token', async () => {
    const reply = await simulator.post<WalletErrorReply>('/v1/advanced_payments', { body: paymentBody('revoked-agreement') });
    expect(reply.status).toBe(401);
    expect(reply.body).toEqual({
      status: '401',
      error: 'unauthorized',
      message: 'Invalid payer token.',
      cause: [{ code: '401003', message: 'Invalid payer token', data: null }],
    });
  });

  it('400 bad_request for missing or invalid parameters and malformed JSON', async () => {
    const invalid = await simulator.post<WalletErrorReply>('/v1/advanced_payments', { body: { wallet_payment: { transaction_amount: '700.50' } } });
    expect(invalid.status).toBe(400);
    expect(invalid.body).toMatchObject({ status: '400', error: 'bad_request', message: 'Some parameters are invalid for search.' });
    expect(invalid.body.cause?.map((cause) => cause.code)).toEqual(['property_type', 'required_properties']);
    const malformed = await simulator.post<WalletErrorReply>('/v1/advanced_payments', { rawBody: '{' });
    expect(malformed.status).toBe(400);
    expect(malformed.body.cause?.[0]?.code).toBe('json_syntax_error');
  });

  it('401 in the Wallet Connect shape for a bad or TEST- access token', async () => {
    const unknown = await simulator.post<WalletErrorReply>('/v1/advanced_payments', { body: paymentBody('APRO'), token: 'APP_USR-nobody' });
    expect(unknown.status).toBe(401);
    expect(unknown.body).toMatchObject({ status: '401', error: 'unauthorized', cause: [{ code: 'unauthorized' }] });
    const test = await simulator.post<WalletErrorReply>('/v1/advanced_payments', { body: paymentBody('APRO'), token: 'TEST-123' });
    expect(test.body.cause?.[0]?.code).toBe('invalid_credentials');
  });

  it('400 in the Wallet Connect shape without an idempotency key or with one too long', async () => {
    const missing = await simulator.post<WalletErrorReply>('/v1/advanced_payments', { body: paymentBody('APRO'), key: null });
    expect(missing.status).toBe(400);
    expect(missing.body).toMatchObject({ status: '400', error: 'bad_request', cause: [{ code: 'empty_required_header' }] });
    const long = await simulator.post<WalletErrorReply>('/v1/advanced_payments', { body: paymentBody('APRO'), key: 'k'.repeat(65) });
    expect(long.body.cause?.[0]?.code).toBe('invalid_idempotency_key_length');
  });

  describe('GET /v1/advanced_payments/{id}', () => {
    it('200 with the payment as it was created (approved or rejected)', async () => {
      for (const token of ['APRO-1', 'OTHE-1']) {
        const created = await simulator.post<AdvancedPaymentReply>('/v1/advanced_payments', { body: paymentBody(token) });
        const reply = await simulator.get<AdvancedPaymentReply>(`/v1/advanced_payments/${created.body.id}`);
        expect(reply.status).toBe(200);
        expect(reply.body).toEqual(created.body);
      }
    });

    it('404 for an unknown id, 400 for a non-numeric one, 401 without a token', async () => {
      const missing = await simulator.get<WalletErrorReply>('/v1/advanced_payments/999');
      expect(missing.status).toBe(404);
      expect(missing.body).toMatchObject({ status: '404', error: 'not_found' });
      const invalid = await simulator.get<WalletErrorReply>('/v1/advanced_payments/abc');
      expect(invalid.status).toBe(400);
      expect((await simulator.get('/v1/advanced_payments/1', { token: null })).status).toBe(401);
    });
  });
});
