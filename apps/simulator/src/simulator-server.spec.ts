import { cardBody, SimulatorHarness } from './testing/simulator-harness';

/**
 * When Node's http server closes a kept-alive connection by default: keepAliveTimeout (5 s) plus
 * the 1 s buffer Node 20 adds to it. fetch (undici) drops the connection itself sooner, 2 s before
 * the advertised 5 s, but only when its own timer runs: a test process late by seconds (a spawnSync
 * of the API or the Temporal CLI, a loaded machine) reuses it at the server's deadline.
 */
const NODE_DEFAULT_IDLE_CLOSE_MS = 6_000;

/** Holds the whole process, as a spawnSync or a loaded machine holds a test's event loop. */
function stallEventLoop(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

describe("the simulator's kept-alive connections", () => {
  let simulator: SimulatorHarness;

  beforeAll(async () => {
    simulator = await SimulatorHarness.start();
  });
  afterAll(() => simulator.close());

  it('answers a request that reaches a kept-alive connection at its idle deadline, before the server reads it', async () => {
    // Opens the connection fetch keeps alive and reuses below.
    await simulator.cardToken('APRO');
    const cardToken = () => simulator.post<{ id: string }>('/v1/card_tokens', { body: cardBody('APRO'), signal: AbortSignal.timeout(NODE_DEFAULT_IDLE_CLOSE_MS + 10_000) });

    // fetch writes the request on the idle connection, then the stall outlasts the idle deadline.
    // A check-phase callback is followed by the next loop turn, whose timers run before its reads:
    // a server that closes idle connections destroys this one with the request unread, as happened
    // to a test's POST (fetch failed: "other side closed") when the two crossed on a loaded machine.
    const late = await new Promise<Awaited<ReturnType<typeof cardToken>>>((resolve, reject) =>
      setImmediate(() => {
        cardToken().then(resolve, reject);
        stallEventLoop(NODE_DEFAULT_IDLE_CLOSE_MS + 500);
      }),
    );

    expect(late.status).toBe(201);
    // Nor does it advertise a deadline for fetch to keep the connection until.
    expect(late.headers.get('keep-alive')).toBeNull();
  }, 30_000);
});
