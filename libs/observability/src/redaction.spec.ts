import { redact, REDACTED, redactFieldsInto, redactText } from './redaction';

describe('redact', () => {
  it('replaces secrets and payer data by key name, at any depth and in any spelling', () => {
    const entry = {
      headers: { Authorization: 'Bearer abc', 'x-idempotency-key': 'key-1' },
      request: {
        payer: { email: 'a@b.com', identification: { type: 'CPF', number: '1' } },
        transactions: { payments: [{ amount: '10.00', payment_method: { id: 'master', token: 'card-token-1' } }] },
      },
      access_token: 'APP_USR-1',
      cardToken: 'card-token-2',
      PAYLOAD_ENCRYPTION_KEYS: 'k:abc',
      first_name: 'Ana',
    };

    expect(redact(entry)).toEqual({
      headers: { Authorization: REDACTED, 'x-idempotency-key': 'key-1' },
      request: {
        payer: REDACTED,
        transactions: { payments: [{ amount: '10.00', payment_method: { id: 'master', token: REDACTED } }] },
      },
      access_token: REDACTED,
      cardToken: REDACTED,
      PAYLOAD_ENCRYPTION_KEYS: REDACTED,
      first_name: REDACTED,
    });
  });

  it('hides secrets by what their name says, not by an exact name', () => {
    const entry = {
      CLIENT_CALLBACK_SECRETS: 'shop=s',
      MERCHANT_ACME_MERCADOPAGO_WEBHOOK_SECRET: 's',
      webhookSecret: 's',
      signingSecret: 's',
      'x-signature': 'ts=1,v1=abc',
      TEMPORAL_API_KEY: 'k',
      apiKey: 'k',
      privateKey: 'k',
      dbPassword: 'p',
      credentials: { user: 'u' },
      'set-cookie': 'c',
    };

    expect(Object.values(redact(entry) as Record<string, unknown>)).toEqual(Object.values(entry).map(() => REDACTED));
  });

  it('never passes a body through, whatever it holds', () => {
    expect(redact({ status: 400, body: { detail: 'x' } })).toEqual({ status: 400, body: REDACTED });
  });

  it('keeps the identifiers operators search by', () => {
    const ids = { requestId: 'r', idempotencyKey: 'k', orderId: 'ORD1', clientId: 'checkout', workflowId: 'k', runId: 'u', attempt: 2 };
    expect(redact(ids)).toEqual(ids);
  });

  it('reduces errors to name and scrubbed message, and cuts structures deeper than any log field', () => {
    expect(redact(new Error('failed for Bearer abc'))).toEqual({ name: 'Error', message: `failed for Bearer ${REDACTED}` });
    const deep: Record<string, unknown> = {};
    let level = deep;
    for (let depth = 0; depth < 12; depth += 1) {
      const next: Record<string, unknown> = {};
      level.next = next;
      level = next;
    }
    expect(JSON.stringify(redact(deep))).toContain(REDACTED);
  });
});

describe('redactFieldsInto', () => {
  it('adds redacted fields as a spread would: a known name keeps its place, a __proto__ field stays a field', () => {
    const target: Record<string, unknown> = { time: 't', message: 'm' };
    redactFieldsInto(target, { requestId: 'r', token: 'secret' });
    redactFieldsInto(target, JSON.parse('{"message":"again","requestId":"r2","__proto__":{"polluted":true}}') as object);
    expect(JSON.stringify(target)).toBe(`{"time":"t","message":"again","requestId":"r2","token":"${REDACTED}","__proto__":{"polluted":true}}`);
    expect(Object.getPrototypeOf(target)).toBe(Object.prototype);
  });
});

describe('redactText', () => {
  it('scrubs bearer credentials and e-mail addresses from free text', () => {
    expect(redactText('call with Authorization: Bearer APP_USR-123, payer ana.maria@testuser.com failed')).toBe(`call with Authorization: Bearer ${REDACTED}, payer ${REDACTED} failed`);
  });

  it('leaves ordinary text alone', () => {
    expect(redactText('idempotency key "e2e-1" settled: started')).toBe('idempotency key "e2e-1" settled: started');
  });
});
