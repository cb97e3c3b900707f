import { runStateQuery } from '@app/contracts';
import { ApiClient, errorCode, newKey } from '../support/api-client';
import { scrape, seriesValue } from '../support/prometheus-text';
import { SimulatorClient } from '../support/simulator-client';
import { CLIENT_TOKENS, OPERATOR_TOKEN, TestStack } from '../support/stack';
import { eventually } from '../support/temporal-assertions';

/** Short, so a run whose paused time counted against it would give up within the test. */
const BUDGET_MS = 2_000;

// docs/operations.md, "Pausing a merchant's upstream attempts".
describe("pausing a merchant's upstream attempts during an incident", () => {
  let stack: TestStack;
  let api: ApiClient;
  let simulator: SimulatorClient;

  beforeAll(async () => {
    stack = await TestStack.start({ api: { WAIT_FOR_RESULT_MS: '1000', UPSTREAM_RETRY_BUDGET_MS: String(BUDGET_MS), UPSTREAM_RETRY_MAX_INTERVAL_MS: '300' } });
    api = new ApiClient(stack.apiUrl);
    simulator = new SimulatorClient(stack.simulatorUrl);
  });
  afterAll(async () => stack.stop());

  const setPause = (body: unknown, token: string | null = OPERATOR_TOKEN) =>
    fetch(`${stack.operatorUrl}/upstream-pause/default`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token === null ? {} : { authorization: `Bearer ${token}` }) },
      body: JSON.stringify(body),
    });
  /** Whether both processes that run attempts (the API's hosted worker, the standalone worker) hold the merchant's attempts. */
  const workersSeePause = async () => {
    const pages = await Promise.all([scrape(`${stack.operatorUrl}/metrics`), scrape(`${stack.workerHealthUrl}/metrics`)]);
    return pages.map((page) => seriesValue(page, 'upstream_paused', { merchant: 'default' }));
  };

  it('refuses a pause without an operator token, and a pause without a reason', async () => {
    expect((await setPause({ paused: true, reason: 'incident' }, null)).status).toBe(401);
    expect((await setPause({ paused: true, reason: 'incident' }, CLIENT_TOKENS.checkout)).status).toBe(401);
    const reasonless = await setPause({ paused: true });
    expect(reasonless.status).toBe(400);
    expect(((await reasonless.json()) as { error: string }).error).toBe('invalid_body');
    expect(await workersSeePause()).toEqual([0, 0]);
  });

  it('holds new payments at 423 past their retry budget without reaching the upstream, then completes them once resumed', async () => {
    const paused = await setPause({ paused: true, reason: 'Mercado Pago incident 1234' });
    expect(paused.status).toBe(200);
    expect(await paused.json()).toMatchObject({ paused: true, operator: 'operator', reason: 'Mercado Pago incident 1234' });
    await eventually(workersSeePause, (seen) => seen.every((value) => value === 1));
    const read = await fetch(`${stack.operatorUrl}/upstream-pause/default`, { headers: { authorization: `Bearer ${OPERATOR_TOKEN}` } });
    expect(await read.json()).toMatchObject({ paused: true, operator: 'operator' });

    const orderId = await simulator.createOrder('APRO');
    const key = newKey();
    const first = await api.processOrder(orderId, { key });
    expect(first.status).toBe(423);
    expect(errorCode(first)).toBe('resource_locked');
    // Paused for twice its budget, the run is still waiting: paused time is not the budget's.
    const handle = stack.temporal.workflow.getHandle(key);
    const startedAt = (await handle.describe()).startTime.getTime();
    const state = await eventually(
      () => handle.query(runStateQuery),
      (current) => current.phase !== 'paused' || Date.now() - startedAt > 2 * BUDGET_MS,
    );
    expect(state).toMatchObject({ phase: 'paused', attempts: 0 });
    const replay = await api.processOrder(orderId, { key });
    expect(replay.status).toBe(423);
    expect(await simulator.processCalls(orderId)).toEqual([]);

    // The upstream's first answer after the incident is a 503: a run whose paused time had counted would give up on it.
    await simulator.injectProcessFault(orderId, { type: 'respond', status: 503, body: {} });
    expect((await setPause({ paused: false, reason: 'incident 1234 over' })).status).toBe(200);
    const answered = await eventually(
      () => api.processOrder(orderId, { key }),
      (answer) => answer.status !== 423,
    );
    expect(answered.status).toBe(200);
    expect((await simulator.processCalls(orderId)).length).toBe(2);
    expect(await simulator.processEffects(orderId)).toBe(1);
    // The audit lines: who, when, why.
    const audit = stack.output
      .filter((line) => line.startsWith('[api] '))
      .map((line) => JSON.parse(line.slice('[api] '.length)) as { context?: string; message: string })
      .filter(({ context, message }) => context === 'UpstreamPause' && message.includes('the upstream attempts of merchant'))
      .map(({ message }) => message);
    expect(audit).toEqual([
      expect.stringMatching(/operator paused the upstream attempts of merchant "default" at \d{4}-.*: Mercado Pago incident 1234/),
      expect.stringMatching(/operator resumed the upstream attempts of merchant "default" at \d{4}-.*: incident 1234 over/),
    ]);
  });
});
