/** What decides a simulated payment's outcome: Mercado Pago's test cardholder names (APRO, OTHE, FUND, …). */
export type Cardholder = string;

export interface SimulatorOrderOptions {
  baseUrl: string;
  accessToken: string;
  cardholder: Cardholder;
  processingMode: 'manual' | 'automatic';
}

/**
 * Creates an order in the simulator the way a checkout would before paying: tokenize a test card,
 * then create the order with it. Returns the order id (ORD…).
 */
export async function createSimulatorOrder(options: SimulatorOrderOptions): Promise<string> {
  const send = async (path: string, body: unknown, idempotencyKey?: string): Promise<{ id: string }> => {
    const headers: Record<string, string> = { authorization: `Bearer ${options.accessToken}`, 'content-type': 'application/json' };
    if (idempotencyKey !== undefined) headers['x-idempotency-key'] = idempotencyKey;
    const response = await fetch(`${options.baseUrl}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
    const text = await response.text();
    if (!response.ok) throw new Error(`simulator POST ${path} answered ${response.status}: ${text}`);
    return JSON.parse(text) as { id: string };
  };
  const card = await send('/v1/card_tokens', {
    card_number: '5031433215406351',
    expiration_month: 11,
    expiration_year: 2030,
    security_code: '123',
    cardholder: { name: options.cardholder },
  });
  const order = await send(
    '/v1/orders',
    {
      type: 'online',
      processing_mode: options.processingMode,
      total_amount: '200.00',
      external_reference: 'local-test',
      payer: { email: 'test@testuser.com' },
      transactions: {
        payments: [{ amount: '200.00', payment_method: { id: 'master', type: 'credit_card', token: card.id, installments: 1 } }],
      },
    },
    `create-${card.id}`,
  );
  return order.id;
}
