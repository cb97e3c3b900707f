import { randomUUID } from 'node:crypto';
import { runTaskFailures } from '../../scripts/drill/drill-evidence';
import { freePort } from '../../scripts/lib/free-port';
import { makeCurrentVersion, runVersion } from '../../scripts/lib/worker-deployment';
import { ApiClient, errorCode, newKey, type ApiAnswer } from '../support/api-client';
import { startedEagerly, untilStartsEagerly } from '../support/attempt-holder';
import { SimulatorClient } from '../support/simulator-client';
import { SECOND_MERCHANT, TestStack } from '../support/stack';
import { eventually, runExists } from '../support/temporal-assertions';

/** A new order paid through `api` with a key of its own: 200 and processed. Returns the key (the run's workflow id). */
async function paid(api: ApiClient, simulator: SimulatorClient): Promise<string> {
  const key = newKey();
  const orderId = await simulator.orderIn('created');
  const answer = await api.processOrder(orderId, { key });
  expect({ status: answer.status, body: answer.body }).toMatchObject({ status: 200, body: { id: orderId, status: 'processed' } });
  return key;
}

async function readiness(apiUrl: string): Promise<{ status: number; body: { reason?: string } }> {
  const answer = await fetch(`${apiUrl}/health/ready`);
  return { status: answer.status, body: (await answer.json()) as { reason?: string } };
}

/**
 * Every stack without WORKER_BUILD_ID (the default) is unversioned: its workers declare no
 * deployment, and Temporal refuses a versioning behaviour from such a worker ("versioning behavior
 * cannot be specified without deployment options being set with versioned mode"), so a payment
 * run must declare none there (payment-write.workflow.ts), or every payment would answer 423.
 */
describe('an unversioned stack (no WORKER_BUILD_ID, the default)', () => {
  let stack: TestStack;
  let simulator: SimulatorClient;

  beforeAll(async () => {
    stack = await TestStack.start();
    simulator = new SimulatorClient(stack.simulatorUrl);
  });
  afterAll(async () => stack?.stop());

  it('answers a payment 200, its run on no deployment version and without a failed workflow task', async () => {
    const key = await paid(new ApiClient(stack.apiUrl), simulator);
    expect(await runVersion(stack.temporal, key)).toBeNull();
    expect(await runTaskFailures(stack.temporal, key)).toEqual([]);
  }, 120_000);
});

/**
 * docs/operations.md, "Rolling out a new build": workers and the API declare their build
 * (WORKER_BUILD_ID); a build starts runs only once the deployment has made it current (or it was
 * current before), payment runs stay pinned to the build that started them, and only the current
 * build starts eagerly. On the dev server; the drill (`npm run drill -- --temporal postgres --only
 * rollout`) rolls a changed build out under load on the real server.
 */
describe('versioned rollout', () => {
  // A deployment of this test's own: the suite's namespaces are shared with other tests.
  const deploymentName = `e2e-${randomUUID()}`;
  const build = (buildId: string) => ({ WORKER_DEPLOYMENT_NAME: deploymentName, WORKER_BUILD_ID: buildId });
  let stack: TestStack;
  let simulator: SimulatorClient;

  beforeAll(async () => {
    stack = await TestStack.start({ api: build('build-a'), worker: build('build-a') });
    simulator = new SimulatorClient(stack.simulatorUrl);
  });
  afterAll(async () => stack?.stop());

  /** Both merchants' namespaces: the apps serve both, and each namespace has its deployment. */
  async function makeCurrent(buildId: string): Promise<void> {
    for (const namespace of ['default', SECOND_MERCHANT.namespace]) await makeCurrentVersion(stack.temporal.connection, namespace, { deploymentName, buildId }, 60_000);
  }

  /** A payment refused because its API's build is not routed: the documented "retry with the same key" answer, and no run. */
  async function expectRefused(api: ApiClient): Promise<void> {
    const key = newKey();
    const answer: ApiAnswer = await api.processOrder(await simulator.orderIn('created'), { key });
    expect(answer.status).toBe(500);
    expect(errorCode(answer)).toBe('idempotency_validation_failed');
    expect(await runExists(stack.temporal, key)).toBe(false);
  }

  it('starts runs only on a routed build, pins each payment to the build that started it, and starts eagerly only on the current build', async () => {
    const oldApi = new ApiClient(stack.apiUrl);
    // A first deployment: nothing is current yet, so the API starts nothing.
    const unrouted = await eventually(
      () => readiness(stack.apiUrl),
      (answer) => answer.status === 503 && answer.body.reason?.includes('is not routed') === true,
    );
    expect(unrouted.body.reason).toContain(`build ${deploymentName}:build-a`);
    await expectRefused(oldApi);

    await makeCurrent('build-a');
    await eventually(
      () => readiness(stack.apiUrl),
      (answer) => answer.status === 200,
    );
    const onA = await paid(oldApi, simulator);
    expect(await runVersion(stack.temporal, onA)).toEqual({ buildId: 'build-a', behavior: 'pinned' });

    // A new API beside the old workers: it declares build-b, which no run is routed to yet.
    const { url, process } = await stack.startApi(await freePort(), build('build-b'));
    const newApi = new ApiClient(url);
    await eventually(
      () => readiness(url),
      (answer) => answer.status === 503 && answer.body.reason?.includes(`build ${deploymentName}:build-b is not routed`) === true,
    );
    await expectRefused(newApi);

    // build-b made current (its hosted worker polls): the new API starts, eagerly, on build-b; the
    // old one still answers, its starts routed by Temporal to build-b, never run by its own worker.
    await makeCurrent('build-b');
    await eventually(
      () => readiness(url),
      (answer) => answer.status === 200,
    );
    const onB = await paid(newApi, simulator);
    expect(await runVersion(stack.temporal, onB)).toEqual({ buildId: 'build-b', behavior: 'pinned' });
    // Its hosted worker connects in the background after the API listens (and readiness does not
    // wait for it), so the first starts may still go lazily: eager ones must follow.
    await untilStartsEagerly(stack.temporal, newApi, simulator, process.child.pid!);
    const throughOldApi = await paid(oldApi, simulator);
    expect(await runVersion(stack.temporal, throughOldApi)).toEqual({ buildId: 'build-b', behavior: 'pinned' });
    expect(await startedEagerly(stack.temporal, throughOldApi, stack.pid('api'))).toBe(false);
    // The run started on build-a is still pinned there.
    expect(await runVersion(stack.temporal, onA)).toEqual({ buildId: 'build-a', behavior: 'pinned' });
  }, 240_000);
});
