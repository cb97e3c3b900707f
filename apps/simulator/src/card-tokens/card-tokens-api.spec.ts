import { cardBody, OTHER_ACCESS_TOKEN, orderBody, SimulatorHarness, type OrderReply, type OrdersErrorReply } from '../testing/simulator-harness';

describe('card tokens and cardholder outcomes', () => {
  let simulator: SimulatorHarness;

  beforeAll(async () => {
    simulator = await SimulatorHarness.start();
  });
  afterAll(() => simulator.close());
  beforeEach(() => simulator.reset());

  describe('POST /v1/card_tokens', () => {
    it('201 with a 32-hex id and only the first six and last four digits', async () => {
      const reply = await simulator.post<Record<string, unknown>>('/v1/card_tokens', { body: cardBody('APRO'), key: null });
      expect(reply.status).toBe(201);
      expect(reply.body).toMatchObject({
        id: expect.stringMatching(/^[0-9a-f]{32}$/) as string,
        first_six_digits: '503143',
        last_four_digits: '6351',
        expiration_month: 11,
        expiration_year: 2030,
        cardholder: { name: 'APRO', identification: { type: 'CPF', number: '12345678909' } },
      });
      const text = JSON.stringify(reply.body);
      expect(text).not.toContain('5031433215406351');
      expect(text).not.toContain('"123"');
    });

    it('never puts card data in the journal', async () => {
      await simulator.post('/v1/card_tokens', { body: cardBody('APRO') });
      const journal = JSON.stringify(await simulator.journal());
      expect(journal).toContain('/v1/card_tokens');
      expect(journal).not.toContain('5031433215406351');
    });

    it('400 lists every invalid field in the Orders shape', async () => {
      const reply = await simulator.post('/v1/card_tokens', {
        body: { card_number: '4111', expiration_month: 13, expiration_year: 2030, security_code: 123, cardholder: {}, pin: '1' },
      });
      expect(reply.status).toBe(400);
      expect(reply.body.errors.map((error) => error.code)).toEqual(['property_value', 'property_type', 'required_properties', 'unsupported_properties']);
      expect(JSON.stringify(reply.body)).not.toContain('"123"');
    });

    it('401 without a valid access token', async () => {
      expect((await simulator.post('/v1/card_tokens', { body: cardBody('APRO'), token: null })).status).toBe(401);
    });
  });

  describe('the cardholder name decides the payment', () => {
    it.each([
      ['OTHE', 'rejected_by_issuer'],
      ['FUND', 'insufficient_amount'],
      ['CALL', 'required_call_for_authorize'],
      ['SECU', 'bad_filled_card_data'],
      ['EXPI', 'bad_filled_card_data'],
      ['FORM', 'bad_filled_card_data'],
      ['CARD', 'bad_filled_card_data'],
      ['INST', 'invalid_installments'],
      ['LOCK', 'card_disabled'],
      ['ATTE', 'max_attempts_exceeded'],
      ['BLAC', 'high_risk'],
      ['SOMEBODY ELSE', 'rejected_by_issuer'],
    ])('%s declines with %s (402)', async (name, detail) => {
      const reply = await simulator.createOrder<OrdersErrorReply>(name);
      expect(reply.status).toBe(402);
      expect(reply.body.errors[0]?.details).toEqual([`${reply.body.data?.transactions?.payments[0]?.id}: ${detail}`]);
      expect(reply.body.data?.transactions?.payments[0]).toMatchObject({ status: 'failed', status_detail: detail });
    });

    it.each([
      ['APRO', 'processed', 'accredited'],
      ['apro Maria Silva', 'processed', 'accredited'],
      ['CONT', 'processing', 'in_process'],
    ])('%s gives 201 %s/%s', async (name, status, detail) => {
      const reply = await simulator.createOrder(name);
      expect(reply.status).toBe(201);
      expect(reply.body).toMatchObject({ status, status_detail: detail });
    });

    it('an unknown token, or another seller’s, declines with invalid_card_token', async () => {
      const unknown = await simulator.post<OrdersErrorReply>('/v1/orders', { body: orderBody('0123456789abcdef0123456789abcdef') });
      expect(unknown.status).toBe(402);
      expect(unknown.body.data?.transactions?.payments[0]?.status_detail).toBe('invalid_card_token');
      const foreignToken = await simulator.cardToken('APRO', OTHER_ACCESS_TOKEN);
      const foreign = await simulator.post<OrderReply>('/v1/orders', { body: orderBody(foreignToken) });
      expect(foreign.status).toBe(402);
    });
  });
});
