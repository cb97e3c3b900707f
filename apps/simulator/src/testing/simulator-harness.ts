import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock';
import type { JournalEntry } from '../journal/journal';
import { startSimulator, type SimulatorOptions } from '../simulator-server';

/** Shared by the contract tests: a real simulator on a free port, and typed helpers to call it. */

export const ACCESS_TOKEN = 'APP_USR-contract-tests';
export const OTHER_ACCESS_TOKEN = 'APP_USR-another-seller';
/** Every call is bounded, so a server bug fails a test instead of hanging the run. */
const CALL_TIMEOUT_MS = 5_000;
export const TEST_EPOCH_MS = Date.UTC(2025, 0, 2, 3, 4, 5);

/** A clock the tests move by hand. */
export class ManualClock implements Clock {
  constructor(private current: number = TEST_EPOCH_MS) {}

  nowMs(): number {
    return this.current;
  }

  advance(ms: number): void {
    this.current += ms;
  }
}

export interface Reply<Body> {
  status: number;
  headers: Headers;
  body: Body;
}

export interface CallOptions {
  body?: unknown;
  /** Sent as it is instead of `body` (malformed JSON, huge bodies). */
  rawBody?: string;
  /** The X-Idempotency-Key: a fresh UUID unless given; null sends none. */
  key?: string | null;
  /** The Bearer token: ACCESS_TOKEN unless given; null sends no Authorization header. */
  token?: string | null;
  signal?: AbortSignal;
}

export interface OrdersErrorReply {
  errors: { code: string; message: string; details?: string[] }[];
  data?: OrderReply;
}

export interface WalletErrorReply {
  status: string;
  error: string;
  message: string;
  cause?: { code: string; message: string; data: null }[];
}

export interface PaymentReply {
  id: string;
  reference_id: string;
  amount: string;
  status: string;
  status_detail: string;
  refunded_amount?: string;
  payment_method: { id: string; type: string; token: string; installments: number };
}

export interface OrderReply {
  id: string;
  status: string;
  status_detail: string;
  total_amount: string;
  processing_mode: string;
  capture_mode: string;
  created_date: string;
  last_updated_date: string;
  transactions?: {
    payments: PaymentReply[];
    refunds?: { id: string; transaction_id: string; reference_id: string; amount: string; status: string }[];
  };
}

export interface AdvancedPaymentReply {
  id: number;
  status: string;
  wallet_payment: { transaction_amount: number; description?: string; external_reference?: string };
  payments: { id: number | null; status: string; status_detail: string; payment_type_id: string; transaction_amount: number }[];
  payer: { id: number };
  disbursements: { collector_id: string }[];
  binary_mode: boolean;
  date_created: string;
  date_last_updated: string;
}

export interface FaultSpec {
  match?: { method?: string; route?: string; orderId?: string };
  fault: Record<string, unknown>;
  times?: number;
}

export class SimulatorHarness {
  private constructor(
    readonly url: string,
    readonly clock: ManualClock,
    private readonly stop: () => Promise<void>,
  ) {}

  static async start(options: Pick<SimulatorOptions, 'latencyMs' | 'notificationUrl' | 'webhookSecrets' | 'pendingSettleMs'> = {}): Promise<SimulatorHarness> {
    const clock = new ManualClock();
    const simulator = await startSimulator({
      ...options,
      port: 0,
      host: '127.0.0.1',
      accessTokens: [ACCESS_TOKEN, OTHER_ACCESS_TOKEN, 'TEST-configured-but-refused'],
      clock,
    });
    return new SimulatorHarness(simulator.url, clock, () => simulator.close());
  }

  close(): Promise<void> {
    return this.stop();
  }

  async call<Body = OrdersErrorReply>(method: string, path: string, options: CallOptions = {}): Promise<Reply<Body>> {
    const headers: Record<string, string> = { accept: 'application/json' };
    const token = options.token === undefined ? ACCESS_TOKEN : options.token;
    if (token !== null) headers.authorization = `Bearer ${token}`;
    const key = options.key === undefined ? randomUUID() : options.key;
    if (key !== null && method !== 'GET') headers['x-idempotency-key'] = key;
    const payload = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
    if (payload !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${this.url}${path}`, {
      method,
      headers,
      body: payload,
      signal: options.signal ?? AbortSignal.timeout(CALL_TIMEOUT_MS),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: (text === '' ? undefined : JSON.parse(text)) as Body };
  }

  post<Body = OrdersErrorReply>(path: string, options: CallOptions = {}): Promise<Reply<Body>> {
    return this.call<Body>('POST', path, options);
  }

  get<Body = OrdersErrorReply>(path: string, options: CallOptions = {}): Promise<Reply<Body>> {
    return this.call<Body>('GET', path, options);
  }

  async cardToken(cardholderName: string, token: string = ACCESS_TOKEN): Promise<string> {
    const reply = await this.post<{ id: string }>('/v1/card_tokens', { body: cardBody(cardholderName), token });
    if (reply.status !== 201) throw new Error(`card token for ${cardholderName}: HTTP ${reply.status}`);
    return reply.body.id;
  }

  /** A one-payment order paid with a fresh card token for `cardholderName`. */
  async createOrder<Body = OrderReply>(cardholderName: string, overrides: Record<string, unknown> = {}, options: CallOptions = {}): Promise<Reply<Body>> {
    const cardToken = await this.cardToken(cardholderName);
    return this.post<Body>('/v1/orders', { ...options, body: orderBody(cardToken, overrides) });
  }

  /** A manual order, already processed with `cardholderName`'s card. */
  async processedOrder(cardholderName: string, overrides: Record<string, unknown> = {}): Promise<Reply<OrderReply>> {
    const created = await this.createOrder(cardholderName, { processing_mode: 'manual', ...overrides });
    return this.post<OrderReply>(`/v1/orders/${created.body.id}/process`);
  }

  async addFault(spec: FaultSpec): Promise<string> {
    const reply = await this.call<{ id: string }>('POST', '/__simulator/faults', { body: spec, key: null, token: null });
    if (reply.status !== 201) throw new Error(`fault rejected: ${JSON.stringify(reply.body)}`);
    return reply.body.id;
  }

  async journal(query: Record<string, string> = {}): Promise<JournalEntry[]> {
    const reply = await this.call<{ entries: JournalEntry[] }>('GET', `/__simulator/journal?${new URLSearchParams(query).toString()}`, { token: null });
    return reply.body.entries;
  }

  /** A control call without token or key; the reply's body is typed by the caller. */
  control<Body>(method: string, path: string, body?: unknown): Promise<Reply<Body>> {
    return this.call<Body>(method, `/__simulator${path}`, { body, key: null, token: null });
  }

  async reset(): Promise<void> {
    await this.call('POST', '/__simulator/reset', { key: null, token: null });
  }
}

export function cardBody(cardholderName: string): Record<string, unknown> {
  return {
    card_number: '5031433215406351',
    expiration_month: 11,
    expiration_year: 2030,
    security_code: '123',
    cardholder: { name: cardholderName, identification: { type: 'CPF', number: '12345678909' } },
  };
}

export function orderBody(cardToken: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: 'online',
    processing_mode: 'automatic',
    total_amount: '200.00',
    external_reference: 'ext_ref_1234',
    payer: { email: 'test_user_123@testuser.com' },
    transactions: {
      payments: [{ amount: '200.00', payment_method: { id: 'master', type: 'credit_card', token: cardToken, installments: 1 } }],
    },
    ...overrides,
  };
}

/** A Wallet Connect payment in binary mode, the payer token deciding its outcome; `overrides` replace top-level fields. */
export function advancedPaymentBody(payerToken: string, amount: number = 700.5, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    wallet_payment: { transaction_amount: amount, description: 'Payment for the purchase of furniture', external_reference: 'Pago_123' },
    payer: { token: payerToken, type: 'customer' },
    binary_mode: true,
    ...overrides,
  };
}
