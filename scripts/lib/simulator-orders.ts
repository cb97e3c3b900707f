/** Where the simulator is and the merchant token it accepts. */
export interface SimulatorAccess {
  baseUrl: string;
  accessToken: string;
}

export interface SimulatorOrderOptions extends SimulatorAccess {
  /** Mercado Pago's test cardholder name, which decides the payment's outcome (APRO, OTHE, FUND, …). */
  cardholder: string;
  processingMode: 'manual' | 'automatic';
  /** `manual` authorizes only: processing leaves the order waiting for a capture. */
  captureMode?: 'automatic' | 'manual';
}

/** Tokenizes a test card the way a checkout's browser would; returns the card token id. */
export async function createCardToken(access: SimulatorAccess, cardholder: string): Promise<string> {
  const token = await post(access, '/v1/card_tokens', {
    card_number: '5031433215406351',
    expiration_month: 11,
    expiration_year: 2030,
    security_code: '123',
    cardholder: { name: cardholder },
  });
  return token.id;
}

/** The body of a one-payment card order, as a checkout sends it to create an order. */
export function cardOrderBody(cardToken: string, processingMode: 'manual' | 'automatic', captureMode: 'automatic' | 'manual' = 'automatic') {
  return {
    type: 'online',
    processing_mode: processingMode,
    capture_mode: captureMode,
    total_amount: '200.00',
    external_reference: 'local-test',
    payer: { email: 'test@testuser.com' },
    transactions: {
      payments: [{ amount: '200.00', payment_method: { id: 'master', type: 'credit_card', token: cardToken, installments: 1 } }],
    },
  };
}

/**
 * Creates an order in the simulator the way a checkout would before paying: tokenize a test card,
 * then create the order with it. Returns the order id (ORD…).
 */
export async function createSimulatorOrder(options: SimulatorOrderOptions): Promise<string> {
  const cardToken = await createCardToken(options, options.cardholder);
  const order = await post(options, '/v1/orders', cardOrderBody(cardToken, options.processingMode, options.captureMode), `create-${cardToken}`);
  return order.id;
}

async function post(access: SimulatorAccess, path: string, body: unknown, idempotencyKey?: string): Promise<{ id: string }> {
  const headers: Record<string, string> = { authorization: `Bearer ${access.accessToken}`, 'content-type': 'application/json' };
  if (idempotencyKey !== undefined) headers['x-idempotency-key'] = idempotencyKey;
  const response = await fetch(`${access.baseUrl}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
  const text = await response.text();
  if (!response.ok) throw new Error(`simulator POST ${path} answered ${response.status}: ${text}`);
  return JSON.parse(text) as { id: string };
}
