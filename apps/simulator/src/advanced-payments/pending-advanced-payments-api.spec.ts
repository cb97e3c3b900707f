import { pause } from '../testing/notification-receiver';
import { advancedPaymentBody, SimulatorHarness, TEST_EPOCH_MS, type AdvancedPaymentReply } from '../testing/simulator-harness';

/** A CONT payment allowed to stay pending: binary_mode left out, as a merchant who accepts pending payments sends it. */
const pendingBody = (overrides: Record<string, unknown> = {}) => advancedPaymentBody('CONT-wallet', 700.5, { binary_mode: undefined, ...overrides });

describe('Wallet Connect pending (CONT) advanced payments', () => {
  let simulator: SimulatorHarness;

  beforeAll(async () => {
    simulator = await SimulatorHarness.start();
  });
  afterAll(() => simulator.close());
  beforeEach(() => simulator.reset());

  const create = (body: Record<string, unknown> = pendingBody()) => simulator.post<AdvancedPaymentReply>('/v1/advanced_payments', { body });
  const settle = <Body = AdvancedPaymentReply>(id: number | string, body: unknown) => simulator.control<Body>('POST', `/advanced-payments/${id}/settle`, body);
  const read = async (id: number) => (await simulator.get<AdvancedPaymentReply>(`/v1/advanced_payments/${id}`)).body;

  it.each([[{}], [{ binary_mode: false }]])('201 in_process with the payment in_process/pending_contingency for CONT with %j', async (overrides) => {
    const reply = await create(pendingBody(overrides));
    expect(reply.status).toBe(201);
    expect(reply.body).toMatchObject({
      status: 'in_process',
      payments: [{ id: expect.any(Number) as number, status: 'in_process', status_detail: 'pending_contingency', payment_type_id: 'credit_card', transaction_amount: 700.5 }],
      binary_mode: false,
    });
    expect(await read(reply.body.id)).toEqual(reply.body);
  });

  it('rejects CONT as OTHE in binary mode, which cannot stay pending', async () => {
    const cont = await create(advancedPaymentBody('CONT-wallet'));
    const othe = await create(advancedPaymentBody('OTHE-wallet'));
    expect(cont.status).toBe(201);
    // Ids are sequential and the payer's id comes from the payer token; all else is OTHE's answer.
    const withoutIds = ({ id: _id, payer: _payer, payments, ...rest }: AdvancedPaymentReply) => ({ ...rest, payments: payments.map(({ id: _chargeId, ...payment }) => payment) });
    expect(withoutIds(cont.body)).toEqual(withoutIds(othe.body));
    expect(cont.body).toMatchObject({ status: 'rejected', binary_mode: true, payments: [{ status: 'rejected', status_detail: 'cc_rejected_other_reason' }] });
  });

  it('the settle control approves a pending payment now; GET shows it, with date_last_updated moved', async () => {
    const created = await create();
    simulator.clock.advance(1_500);
    const settled = await settle(created.body.id, { outcome: 'approved' });

    expect(settled.status).toBe(200);
    expect(settled.body).toEqual({
      ...created.body,
      status: 'approved',
      payments: [{ ...created.body.payments[0], status: 'approved', status_detail: 'accredited' }],
      date_last_updated: new Date(TEST_EPOCH_MS + 1_500).toISOString(),
    });
    expect(settled.body.date_created).toBe(new Date(TEST_EPOCH_MS).toISOString());
    expect(await read(created.body.id)).toEqual(settled.body);
  });

  it('the settle control declines a pending payment: rejected/cc_rejected_other_reason', async () => {
    const created = await create();
    const settled = await settle(created.body.id, { outcome: 'declined' });

    expect([settled.status, settled.body.status]).toEqual([200, 'rejected']);
    expect(settled.body.payments[0]).toMatchObject({ id: created.body.payments[0]!.id, status: 'rejected', status_detail: 'cc_rejected_other_reason' });
    expect(await read(created.body.id)).toEqual(settled.body);
  });

  it('the settle control answers 404 for an unknown payment, 409 for one not waiting, 400 for a bad outcome', async () => {
    for (const id of ['999', 'abc']) {
      const unknown = await settle<{ error: string }>(id, { outcome: 'approved' });
      expect([unknown.status, unknown.body.error]).toEqual([404, 'advanced_payment_not_found']);
    }

    const approved = await create(advancedPaymentBody('APRO-wallet'));
    const notWaiting = await settle<{ error: string; message: string }>(approved.body.id, { outcome: 'declined' });
    expect([notWaiting.status, notWaiting.body.error]).toEqual([409, 'advanced_payment_not_waiting']);
    expect(notWaiting.body.message).toContain('approved');

    const pending = await create();
    expect((await settle(pending.body.id, { outcome: 'approved' })).status).toBe(200);
    expect((await settle<{ error: string }>(pending.body.id, { outcome: 'approved' })).body.error).toBe('advanced_payment_not_waiting');

    const waiting = await create();
    for (const body of [{ outcome: 'maybe' }, {}, { outcome: 'approved', extra: 1 }]) {
      const bad = await settle<{ error: string }>(waiting.body.id, body);
      expect([bad.status, bad.body.error]).toEqual([400, 'invalid_settlement']);
    }
    expect((await read(waiting.body.id)).status).toBe('in_process');
  });

  it('settles by itself to approved/accredited once pending_settle_ms has passed', async () => {
    await simulator.control('PUT', '/notifications', { pending_settle_ms: 100 });
    const created = await create();
    expect((await read(created.body.id)).status).toBe('in_process');
    await pause(300);

    const settled = await read(created.body.id);
    expect([settled.status, settled.payments[0]!.status, settled.payments[0]!.status_detail]).toEqual(['approved', 'approved', 'accredited']);
  });

  it('stays pending while pending_settle_ms is 0', async () => {
    await simulator.control('PUT', '/notifications', { pending_settle_ms: 0 });
    const created = await create();
    await pause(200);

    expect((await read(created.body.id)).status).toBe('in_process');
  });

  it('leaves the other payer tokens as they were: APRO, OTHE and FUND are not settled', async () => {
    for (const token of ['APRO-1', 'OTHE-1', 'FUND-1']) {
      const created = await create(advancedPaymentBody(token));
      expect((await settle(created.body.id, { outcome: 'approved' })).status).toBe(409);
    }
  });
});
