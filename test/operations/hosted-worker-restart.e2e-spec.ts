import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import { temporal } from '@temporalio/proto';
import { freePort } from '../../scripts/lib/free-port';
import { repoRoot } from '../../scripts/lib/paths';
import { scrape, seriesValue } from '../support/prometheus-text';
import { TestStack } from '../support/stack';
import { eventually } from '../support/temporal-assertions';

const address = process.env.TEST_TEMPORAL_ADDRESS!;
/** gRPC's ALREADY_EXISTS. */
const GRPC_ALREADY_EXISTS = 6;

async function readiness(apiUrl: string): Promise<{ status: number; body: unknown }> {
  const answer = await fetch(`${apiUrl}/health/ready`);
  return { status: answer.status, body: await answer.json() };
}

/** A namespace with the project's search attributes, as `npm run temporal:search-attributes` makes it. */
async function registerNamespace(connection: Connection, namespace: string): Promise<void> {
  // Registered by an earlier try whose search attributes failed (the namespace cache lags): go on to them.
  await connection.workflowService.registerNamespace({ namespace, workflowExecutionRetentionPeriod: msToTs('1 day') }).catch((error: unknown) => {
    if ((error as { code?: number }).code !== GRPC_ALREADY_EXISTS) throw error;
  });
  const registration = spawnSync(process.execPath, [join(repoRoot, 'dist/scripts/register-search-attributes.js')], {
    env: { PATH: process.env.PATH, TEMPORAL_ADDRESS: address, TEMPORAL_NAMESPACE: namespace },
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (registration.status !== 0) throw new Error(`registering the search attributes failed: ${registration.stderr}`);
  // A deleted namespace keeps its name (and answers ALREADY_EXISTS) until the server has renamed it away.
  const { namespaceInfo } = await connection.workflowService.describeNamespace({ namespace });
  if (namespaceInfo?.state !== temporal.api.enums.v1.NamespaceState.NAMESPACE_STATE_REGISTERED) throw new Error(`namespace ${namespace} is not registered yet`);
}

/** docs/operations.md, "The hosted worker": a hosted worker that fails is started again with back-off, and shows down meanwhile. */
describe('the hosted worker, failed after start', () => {
  let connection: Connection;
  let stack: TestStack;

  beforeAll(async () => {
    connection = await Connection.connect({ address });
    stack = await TestStack.start({ api: { API_HOSTS_WORKER: 'false' } });
  });
  afterAll(async () => {
    await stack?.stop();
    await connection?.close();
  });

  it('is restarted with back-off, reported down by readiness and metrics until it runs again', async () => {
    const namespace = `hosted-${randomUUID()}`;
    await registerNamespace(connection, namespace);
    const port = await freePort();
    const operatorPort = await freePort();
    const { url } = await stack.startApi(port, { TEMPORAL_NAMESPACE: namespace }, operatorPort);
    const metrics = async () => {
      const page = await scrape(`http://127.0.0.1:${operatorPort}/metrics`);
      return { up: seriesValue(page, 'hosted_worker_up'), restarts: seriesValue(page, 'hosted_worker_restarts_total') };
    };
    await eventually(metrics, (now) => now.up === 1);
    expect(await readiness(url)).toEqual({ status: 200, body: { status: 'ok', temporal: 'reachable' } });

    // Its namespace deleted under it, the hosted worker's polls fail for good once the poll in flight
    // ends (5 s on the suite's server: test/support/suite-dev-server.ts); the SDK retries a failing
    // poll for 60 s (an unavailable server for ever), then the worker fails.
    await connection.operatorService.deleteNamespace({ namespace });
    await eventually(metrics, (now) => now.up === 0, 150_000);
    expect((await readiness(url)).status).toBe(503);
    // Back, with its search attributes: the next restart finds it and the worker runs again.
    await eventually(
      () =>
        registerNamespace(connection, namespace).then(
          () => true,
          () => false,
        ),
      (registered) => registered,
      90_000,
    );

    expect((await eventually(metrics, (now) => now.up === 1, 60_000)).restarts).toBeGreaterThanOrEqual(1);
    expect(
      await eventually(
        () => readiness(url),
        (answer) => answer.status === 200,
      ),
    ).toEqual({ status: 200, body: { status: 'ok', temporal: 'reachable' } });
    expect(stack.output.some((line) => line.startsWith(`[api-${port}] `) && line.includes('restarting the hosted workers'))).toBe(true);
  }, 300_000);
});
