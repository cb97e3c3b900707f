import { cardOrderBody } from '../../scripts/lib/simulator-orders';
import { newKey } from '../support/api-client';
import { SimulatorClient } from '../support/simulator-client';
import { CLIENT_TOKENS, TestStack } from '../support/stack';
import {
  buildGoSdkClient,
  buildJavaSdkClient,
  goSdk,
  installPythonSdk,
  javaSdk,
  MAX_LOCKED_ANSWERS,
  nodeSdk,
  pythonSdk,
  type SdkDriver,
  type WalletConnectSdkDriver,
} from './sdk-drivers';

/**
 * docs/clients.md: Mercado Pago's official SDKs, unchanged, pointed at the orchestrator. The
 * orchestrator answers 423 after a short wait, and the simulator holds a call for longer than
 * several of those waits but fewer than MAX_LOCKED_ANSWERS Retry-After pauses: a client that
 * retried without waiting Retry-After would run out of retries first.
 */
const WAIT_FOR_RESULT_MS = 300;
const HELD_MS = 6_000;
/** A first pip install of the Python SDK, and a first Maven or Go build of the Java or Go client, downloads included. */
const INSTALL_TIMEOUT_MS = 3 * 60_000;

// One stack for every SDK, to keep the suite's time down.
let stack: TestStack;
let simulator: SimulatorClient;
const walletConnectDrivers: Array<[string, () => WalletConnectSdkDriver]> = [
  ['Node', () => nodeSdk(stack.apiUrl, CLIENT_TOKENS.checkout)],
  ['Python', () => pythonSdk(stack.apiUrl, CLIENT_TOKENS.checkout)],
];
// The Java SDK's advanced payment request cannot carry a Wallet Connect payment, and the Go SDK has
// no advanced payments at all: orders only.
const orderDrivers: Array<[string, () => SdkDriver]> = [
  ...walletConnectDrivers,
  ['Java', () => javaSdk(stack.apiUrl, CLIENT_TOKENS.checkout)],
  ['Go', () => goSdk(stack.apiUrl, CLIENT_TOKENS.checkout)],
];

beforeAll(() => void installPythonSdk(), INSTALL_TIMEOUT_MS);
beforeAll(() => buildJavaSdkClient(), INSTALL_TIMEOUT_MS);
beforeAll(() => buildGoSdkClient(), INSTALL_TIMEOUT_MS);
beforeAll(async () => {
  stack = await TestStack.start({ api: { WAIT_FOR_RESULT_MS: String(WAIT_FOR_RESULT_MS), UPSTREAM_TIMEOUT_MS: String(HELD_MS + 4_000) } });
  simulator = new SimulatorClient(stack.simulatorUrl);
});
afterAll(async () => stack?.stop());
afterEach(async () => simulator.clearFaults());

describe.each(orderDrivers)('the %s SDK against the orchestrator: orders', (_name, driverOf) => {
  let sdk: SdkDriver;
  beforeAll(() => (sdk = driverOf()));

  const createdOrder = async () => {
    const created = await sdk.createOrder(cardOrderBody(await simulator.cardToken(), 'manual'), newKey());
    expect(created).toMatchObject({ status: 201, error: null, body: { status: 'created' } });
    return (created.body as { id: string }).id;
  };

  it('creates an order, processes it, and gets the same answer again for the same key, with one upstream effect', async () => {
    const orderId = await createdOrder();
    const key = newKey();

    const processed = await sdk.processOrder(orderId, key);
    const replayed = await sdk.processOrder(orderId, key);

    expect(processed).toMatchObject({ status: 200, error: null, body: { id: orderId, status: 'processed', status_detail: 'accredited' } });
    expect(replayed).toMatchObject({ status: 200, error: null, locked: 0 });
    expect(replayed.body).toEqual(processed.body);
    expect(await simulator.processEffects(orderId)).toBe(1);
  });

  it("refuses the key for another order with the SDK's 409 error, without calling the upstream for it", async () => {
    const key = newKey();
    await sdk.processOrder(await createdOrder(), key);
    const other = await createdOrder();

    const reused = await sdk.processOrder(other, key);

    // The class and status are all a checkout can rely on: the Node SDK drops the Orders `errors[]`
    // (so `idempotency_key_already_used` too) from its typed errors. No upstream call tells this
    // 409 apart from an upstream's own 409 for the order's state.
    expect(reused).toMatchObject({ status: 409, error: sdk.keyReuseError });
    expect(await simulator.processCalls(other)).toEqual([]);
  });

  it('retries 423 after Retry-After with the same key until the answer, with one upstream effect', async () => {
    const orderId = await createdOrder();
    await simulator.injectProcessFault(orderId, { type: 'delay', ms: HELD_MS });

    const answer = await sdk.processOrder(orderId, newKey());

    expect(answer).toMatchObject({ status: 200, error: null, body: { status: 'processed' } });
    expect(answer.locked).toBeGreaterThan(0);
    expect(answer.locked).toBeLessThan(MAX_LOCKED_ANSWERS);
    const calls = await simulator.processCalls(orderId);
    expect(calls.filter((call) => call.effect)).toHaveLength(1);
    expect(new Set(calls.map((call) => call.idempotency_key)).size).toBe(1);
  });
});

describe.each(walletConnectDrivers)('the %s SDK against the orchestrator: Wallet Connect', (_name, driverOf) => {
  let sdk: WalletConnectSdkDriver;
  beforeAll(() => (sdk = driverOf()));

  it('pays through Wallet Connect, retrying its 409 401001 after Retry-After, then replays the payment', async () => {
    const since = Date.now();
    const body = { wallet_payment: { transaction_amount: 700.5, description: 'SDK client test', external_reference: 'sdk-client' }, payer: { token: 'APRO-payer' } };
    const key = newKey();
    await simulator.injectFault('/v1/advanced_payments', null, { type: 'delay', ms: HELD_MS });

    const paid = await sdk.createAdvancedPayment(body, key);
    const replayed = await sdk.createAdvancedPayment(body, key);

    expect(paid).toMatchObject({ status: 200, error: null, body: { status: 'approved' } });
    expect(paid.locked).toBeGreaterThan(0);
    expect(replayed).toMatchObject({ status: 200, error: null, locked: 0 });
    expect(replayed.body).toEqual(paid.body);
    expect((await simulator.calls('/v1/advanced_payments', null, since)).filter((call) => call.effect)).toHaveLength(1);
  });
});
