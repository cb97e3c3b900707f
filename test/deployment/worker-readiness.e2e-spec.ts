import { freePort } from '../../scripts/lib/free-port';
import type { Supervised } from '../../scripts/lib/processes';
import { startTemporalDevServer } from '../../scripts/lib/temporal-dev-server';
import { TestStack } from '../support/stack';
import { suiteDevServerOptions } from '../support/suite-dev-server';
import { eventually } from '../support/temporal-assertions';

async function readiness(url: string): Promise<number | null> {
  return fetch(`${url}/health/ready`).then(
    (answer) => answer.status,
    () => null,
  );
}

describe('worker readiness', () => {
  let server: Supervised;
  let stack: TestStack;

  beforeAll(async () => {
    // A dev server of the test's own, since this test kills it.
    const port = await freePort();
    server = await startTemporalDevServer(suiteDevServerOptions(port, () => undefined));
    stack = await TestStack.start({ worker: { TEMPORAL_ADDRESS: `127.0.0.1:${port}` } });
  });
  afterAll(async () => {
    await stack.stop();
    server.child.kill('SIGKILL');
  });

  it('is ready while Temporal answers and not ready once Temporal is gone, though the worker still runs', async () => {
    expect(
      await eventually(
        () => readiness(stack.workerHealthUrl),
        (status) => status === 200,
      ),
    ).toBe(200);

    server.child.kill('SIGKILL');

    expect(
      await eventually(
        () => readiness(stack.workerHealthUrl),
        (status) => status === 503,
      ),
    ).toBe(503);
    const live = await fetch(`${stack.workerHealthUrl}/health/live`);
    expect(live.status).toBe(200);
  });
});
