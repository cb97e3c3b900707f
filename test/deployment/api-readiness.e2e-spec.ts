import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import { repoRoot } from '../../scripts/lib/paths';
import { TestStack } from '../support/stack';
import { eventually } from '../support/temporal-assertions';

async function readiness(apiUrl: string): Promise<{ status: number; body: unknown }> {
  const answer = await fetch(`${apiUrl}/health/ready`);
  return { status: answer.status, body: await answer.json() };
}

/** The API's twin of the worker's start-up check (register-search-attributes.e2e-spec.ts), on a namespace of its own. */
describe('API readiness', () => {
  const address = process.env.TEST_TEMPORAL_ADDRESS!;
  const namespace = `bare-${randomUUID()}`;
  let stack: TestStack;

  beforeAll(async () => {
    const connection = await Connection.connect({ address });
    try {
      await connection.workflowService.registerNamespace({ namespace, workflowExecutionRetentionPeriod: msToTs('1 day') });
    } finally {
      await connection.close();
    }
    // Only the API uses the bare namespace; the worker keeps the suite's, which has the attributes.
    stack = await TestStack.start({ api: { TEMPORAL_NAMESPACE: namespace } });
  });
  afterAll(async () => stack.stop());

  it('is not ready, and says why, while the namespace lacks the search attributes; ready once they are registered', async () => {
    expect(await readiness(stack.apiUrl)).toEqual({
      status: 503,
      body: {
        status: 'unavailable',
        temporal: 'reachable',
        reason: `namespace "${namespace}" lacks search attributes PaymentOperation, OrderId, ClientId, ExternalReference, PaymentOutcome, UpstreamStatus, OrderStatus, PaymentStatus: run \`npm run temporal:search-attributes\` against it`,
      },
    });

    const registration = spawnSync(process.execPath, [join(repoRoot, 'dist/scripts/register-search-attributes.js')], {
      env: { PATH: process.env.PATH, TEMPORAL_ADDRESS: address, TEMPORAL_NAMESPACE: namespace },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(registration.status).toBe(0);

    expect(
      await eventually(
        () => readiness(stack.apiUrl),
        (answer) => answer.status === 200,
      ),
    ).toEqual({
      status: 200,
      body: { status: 'ok', temporal: 'reachable' },
    });
  });
});
