import type { JsonValue, PaymentOperation } from '@app/contracts';
import type { JournalEntry } from '../../apps/simulator/src/journal/journal';
import { cardOrderBody } from '../../scripts/lib/simulator-orders';
import { newKey, type ApiAnswer, ApiClient } from '../support/api-client';
import { SimulatorClient } from '../support/simulator-client';
import { TestStack } from '../support/stack';
import { eventually, runExists } from '../support/temporal-assertions';
import { callsAfter, untilHeldBy, untilStartsEagerly } from '../support/attempt-holder';

/** One request of an operation, ready to send. */
interface Prepared {
  path: string;
  body?: unknown;
  /** The order the upstream acts on, when it is known before the call. */
  orderId: string | null;
}

/** Everything the matrix needs to know about one declared operation. */
interface OperationCase {
  operation: PaymentOperation;
  dialect: 'orders' | 'wallet_connect';
  /** The simulator route the worker calls. */
  upstreamRoute: string;
  successStatus: number;
  /** A fresh, valid request. */
  prepare(simulator: SimulatorClient): Promise<Prepared>;
  /** Another valid request for the same operation, to reuse a key with. */
  prepareOther(simulator: SimulatorClient, first: Prepared): Promise<Prepared>;
}

const orderAction = (operation: PaymentOperation, action: string, state: 'created' | 'waiting_capture' | 'processed', successStatus: number): OperationCase => ({
  operation,
  dialect: 'orders',
  upstreamRoute: `/v1/orders/{id}/${action}`,
  successStatus,
  prepare: async (simulator) => {
    const orderId = await simulator.orderIn(state);
    return { path: `/v1/orders/${orderId}/${action}`, orderId };
  },
  prepareOther: async (simulator) => {
    const orderId = await simulator.orderIn(state);
    return { path: `/v1/orders/${orderId}/${action}`, orderId };
  },
});

const advancedPayment = (payerToken: string, amount: number) => ({
  wallet_payment: { transaction_amount: amount, description: 'Payment for the purchase of furniture', external_reference: 'Pago_123' },
  payer: { token: payerToken },
  binary_mode: true,
});

const operations: OperationCase[] = [
  {
    operation: 'order.create',
    dialect: 'orders',
    upstreamRoute: '/v1/orders',
    successStatus: 201,
    prepare: async (simulator) => ({ path: '/v1/orders', body: cardOrderBody(await simulator.cardToken(), 'manual'), orderId: null }),
    prepareOther: async (simulator) => ({ path: '/v1/orders', body: cardOrderBody(await simulator.cardToken(), 'manual'), orderId: null }),
  },
  orderAction('order.process', 'process', 'created', 200),
  orderAction('order.capture', 'capture', 'waiting_capture', 200),
  orderAction('order.cancel', 'cancel', 'created', 200),
  orderAction('order.refund', 'refund', 'processed', 201),
  {
    operation: 'advanced_payment.create',
    dialect: 'wallet_connect',
    upstreamRoute: '/v1/advanced_payments',
    successStatus: 200,
    prepare: () => Promise.resolve({ path: '/v1/advanced_payments', body: advancedPayment('APRO-payer', 700.5), orderId: null }),
    prepareOther: () => Promise.resolve({ path: '/v1/advanced_payments', body: advancedPayment('APRO-payer', 99.9), orderId: null }),
  },
];

/** The dialect's code for an error: Orders `errors[0].code`, Wallet Connect `cause[0].code`. */
function errorCode(dialect: OperationCase['dialect'], answer: ApiAnswer): string | undefined {
  if (dialect === 'orders') return (answer.body as { errors?: { code?: string }[] }).errors?.[0]?.code;
  const body = answer.body as { status?: string; cause?: { code?: string }[] };
  expect(body.status).toBe(String(answer.status));
  return body.cause?.[0]?.code;
}

/**
 * How long the simulator holds a call that a test kills the process of: shorter than the attempt's
 * own timeout (UPSTREAM_TIMEOUT_MS below), so only the crash can make the run try again, and than
 * the eager workflow task's (10 s), so a rerun never meets the call still held; long enough for
 * every operation's twelve calls to be held at once on a loaded machine before the kill.
 */
const HELD_MS = 6_000;

// One stack for every operation: each test uses fresh orders and keys, and clears its faults.
let stack: TestStack;
let api: ApiClient;
let simulator: SimulatorClient;

beforeAll(async () => {
  stack = await TestStack.start({ api: { WAIT_FOR_RESULT_MS: '3000', UPSTREAM_TIMEOUT_MS: '8000' } });
  api = new ApiClient(stack.apiUrl);
  simulator = new SimulatorClient(stack.simulatorUrl);
});
afterAll(async () => stack?.stop());

describe.each(operations)('$operation: the idempotency matrix against Temporal and the simulator', (spec) => {
  afterEach(async () => simulator.clearFaults());

  const send = (request: Prepared, key: string | null, token?: string | null) => api.post(request.path, request.body, { key, token });
  const effects = async (request: Prepared, since: number) => (await simulator.calls(spec.upstreamRoute, request.orderId, since)).filter((call) => call.effect).length;

  it('refuses a request without a known bearer token, in its dialect, starting nothing', async () => {
    const request = await spec.prepare(simulator);
    const key = newKey();

    const answer = await send(request, key, null);

    expect(answer.status).toBe(401);
    expect(errorCode(spec.dialect, answer)).toBe('unauthorized');
    expect(await runExists(stack.temporal, key)).toBe(false);
  });

  it.each([
    ['no key', null, 'empty_required_header'],
    ['a 65-character key', 'k'.repeat(65), 'invalid_idempotency_key_length'],
  ])('answers %s with 400 in its dialect, starting nothing', async (_case, key, code) => {
    const since = Date.now();
    const request = await spec.prepare(simulator);

    const answer = await send(request, key);

    expect(answer.status).toBe(400);
    expect(errorCode(spec.dialect, answer)).toBe(code);
    expect(await simulator.calls(spec.upstreamRoute, request.orderId, since)).toEqual([]);
  });

  it('replays a finished run byte for byte, with one upstream effect', async () => {
    const since = Date.now();
    const request = await spec.prepare(simulator);
    const key = newKey();

    const first = await send(request, key);
    const replay = await send(request, key);

    expect(first.status).toBe(spec.successStatus);
    expect(replay.status).toBe(spec.successStatus);
    expect(replay.text).toBe(first.text);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(await effects(request, since)).toBe(1);
  });

  it('refuses the key for another request in its dialect, without calling the upstream for it', async () => {
    const request = await spec.prepare(simulator);
    const other = await spec.prepareOther(simulator, request);
    const key = newKey();
    await send(request, key);
    const since = Date.now();

    const reused = await send(other, key);

    expect(reused.status).toBe(spec.dialect === 'orders' ? 409 : 422);
    expect(errorCode(spec.dialect, reused)).toBe(spec.dialect === 'orders' ? 'idempotency_key_already_used' : '422001');
    expect(await simulator.calls(spec.upstreamRoute, other.orderId, since)).toEqual([]);
  });

  it('answers "still processing" in its dialect while the run works, then the outcome', async () => {
    const since = Date.now();
    const request = await spec.prepare(simulator);
    const key = newKey();
    await simulator.injectFault(spec.upstreamRoute, request.orderId, { type: 'delay', ms: 4_500 });

    const early = await send(request, key);

    expect(early.status).toBe(spec.dialect === 'orders' ? 423 : 409);
    expect(errorCode(spec.dialect, early)).toBe(spec.dialect === 'orders' ? 'resource_locked' : '401001');
    // docs/api.md, step 4, in either dialect: ask again in a second.
    expect(early.headers.get('retry-after')).toBe('1');
    const later = await eventually(
      () => send(request, key),
      (answer) => answer.status === spec.successStatus,
    );
    expect(later.status).toBe(spec.successStatus);
    expect(await effects(request, since)).toBe(1);
  });

  it('retries 503s under one upstream key until the upstream acts, once', async () => {
    const since = Date.now();
    const request = await spec.prepare(simulator);
    await simulator.injectFault(spec.upstreamRoute, request.orderId, { type: 'respond', status: 503 }, 2);

    const answer = await send(request, newKey());

    expect(answer.status).toBe(spec.successStatus);
    const calls = await simulator.calls(spec.upstreamRoute, request.orderId, since);
    expect(calls.map((call) => call.status)).toEqual([503, 503, spec.successStatus]);
    expect(new Set(calls.map((call) => call.idempotency_key)).size).toBe(1);
    expect(calls.filter((call) => call.effect)).toHaveLength(1);
  });

  it("passes the upstream's final error through at once, without retrying", async () => {
    const since = Date.now();
    const request = await spec.prepare(simulator);
    const body: JsonValue =
      spec.dialect === 'orders' ? { errors: [{ code: 'injected', message: 'decided upstream' }] } : { status: '400', error: 'bad_request', message: 'decided upstream', cause: [] };
    const status = spec.dialect === 'orders' ? 409 : 400;
    await simulator.injectFault(spec.upstreamRoute, request.orderId, { type: 'respond', status, body });

    const answer = await send(request, newKey());

    expect(answer.status).toBe(status);
    expect(answer.body).toEqual(body);
    expect(await simulator.calls(spec.upstreamRoute, request.orderId, since)).toHaveLength(1);
  });
});

/** One request of an operation whose call was held by the simulator, and whose holder was killed under it. */
interface Crashed {
  request: Prepared;
  key: string;
  held: JournalEntry;
  /** The caller's answer, or null when its connection died with the API. */
  caller: Promise<ApiAnswer | null>;
}

// docs/architecture.md, "The fast path" and "Failure modes": the first attempt is a local
// activity in the API's hosted worker (an eager start), a retry an activity task in a standalone
// worker; whichever process dies holding the call, the run tries again under the same upstream key.
// Every operation's two calls are held together and their holders killed once: recovery waits on
// timeouts (10 s, UPSTREAM_TIMEOUT_MS + 5 s), which the six operations then share.
describe('every operation, the process holding its call killed mid-call', () => {
  const crashed = new Map<PaymentOperation, { first: Crashed; retried: Crashed }>();
  let since: number;
  const send = (request: Prepared, key: string) => api.post(request.path, request.body, { key });
  /** Sends the request with its call held by the simulator, and returns once `holder` runs that call (`other`'s call aside). */
  const hold = async (spec: OperationCase, { request, key }: { request: Prepared; key: string }, holder: 'api' | 'worker', other?: JournalEntry): Promise<Crashed> => {
    await simulator.injectFault(spec.upstreamRoute, request.orderId, { type: 'delay', ms: HELD_MS });
    const caller = send(request, key).catch(() => null);
    const unanswered = async () =>
      (await simulator.calls(spec.upstreamRoute, request.orderId, since)).find((call) => call.status === null && call.idempotency_key !== other?.idempotency_key);
    return { request, key, caller, held: await untilHeldBy(stack, key, holder, unanswered) };
  };

  beforeAll(async () => {
    await untilStartsEagerly(stack.temporal, api, simulator, stack.pid('api'));
    // Every request prepared first: preparing an order creates it upstream, on the route a create's faults match and its calls are read from.
    const prepared = await Promise.all(
      operations.map(async (spec) => ({ spec, retried: { request: await spec.prepare(simulator), key: newKey() }, first: { request: await spec.prepare(simulator), key: newKey() } })),
    );
    since = Date.now();

    // A retry (the first attempt answered 503), held by the simulator inside the standalone worker's activity task …
    const retriedHeld = await Promise.all(
      prepared.map(async ({ spec, first, retried }) => {
        await simulator.injectFault(spec.upstreamRoute, retried.request.orderId, { type: 'respond', status: 503 });
        return { spec, first, retried: await hold(spec, retried, 'worker') };
      }),
    );
    // … and a first attempt, held inside the API's eager workflow task (a create's faults are added
    // once its retried request took its own, as they match its route only): kill both holders.
    const held = await Promise.all(retriedHeld.map(async ({ spec, first, retried }) => ({ spec, retried, first: await hold(spec, first, 'api', retried.held) })));
    await stack.crashAndRestart('api', 'worker');
    for (const { spec, first, retried } of held) crashed.set(spec.operation, { first, retried });

    // Recovery: the eager task times out (10 s) and a worker runs the run again from its start; the
    // lost activity times out (UPSTREAM_TIMEOUT_MS + 5 s) and the run retries it. The same request
    // then gets the answer.
    await Promise.all(
      held.flatMap(({ spec, first, retried }) =>
        [first, retried].map(({ request, key }) =>
          eventually(
            () => send(request, key),
            (answer) => answer.status === spec.successStatus,
            60_000,
          ),
        ),
      ),
    );
  }, 180_000);

  it.each(operations)(
    '$operation survives the process holding the call killed mid-call, the API (first attempt) and the worker (a retry), with one upstream effect each',
    async (spec) => {
      const { first, retried } = crashed.get(spec.operation)!;
      // The callers' connections died with the API (the retried one may have had its 423 before); the runs did not.
      expect(await first.caller).toBeNull();
      expect((await retried.caller)?.status).not.toBe(spec.successStatus);

      const callsOf = (request: Prepared) => simulator.calls(spec.upstreamRoute, request.orderId, since);
      for (const { request, held } of [first, retried]) {
        const calls = await callsOf(request);
        const underKey = calls.filter((call) => call.idempotency_key === held.idempotency_key);
        // An order's calls all carry the one upstream key; a create's are told apart by it.
        if (request.orderId !== null) expect(calls).toEqual(underKey);
        expect(callsAfter(underKey, held).length).toBeGreaterThanOrEqual(1);
        expect(underKey.filter((call) => call.effect)).toHaveLength(1);
      }
      // Creates share a route without an order to tell them apart: read it once.
      const everyCall = first.request.orderId === null ? await callsOf(first.request) : [...(await callsOf(first.request)), ...(await callsOf(retried.request))];
      // No attempt under another key acted either: one effect per request, two in all.
      expect(everyCall.filter((call) => call.effect)).toHaveLength(2);
    },
  );
});
