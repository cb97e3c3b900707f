import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import { searchAttributes } from '@app/contracts';
import { appEntryPoints, repoRoot } from '../../scripts/lib/paths';

describe('dist/scripts/register-search-attributes.js (npm run temporal:search-attributes)', () => {
  const address = process.env.TEST_TEMPORAL_ADDRESS!;
  let connection: Connection;

  beforeAll(async () => {
    connection = await Connection.connect({ address });
  });
  afterAll(async () => connection.close());

  const register = (namespace: string) =>
    spawnSync(process.execPath, [join(repoRoot, 'dist/scripts/register-search-attributes.js')], {
      env: { PATH: process.env.PATH, TEMPORAL_ADDRESS: address, TEMPORAL_NAMESPACE: namespace },
      encoding: 'utf8',
      timeout: 60_000,
    });

  it('registers every attribute in a namespace that has none, then is a no-op', async () => {
    const namespace = `setup-${randomUUID()}`;
    await connection.workflowService.registerNamespace({ namespace, workflowExecutionRetentionPeriod: msToTs('1 day') });

    const first = register(namespace);
    const second = register(namespace);

    expect(first.status).toBe(0);
    expect(first.stdout).toContain('registered PaymentOperation, OrderId, ClientId, ExternalReference, PaymentOutcome, UpstreamStatus, OrderStatus, PaymentStatus');
    expect(second.status).toBe(0);
    expect(second.stdout).toContain('already registered');
    const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace });
    expect(Object.keys(customAttributes)).toEqual(expect.arrayContaining(Object.values(searchAttributes).map((key) => key.name)));
  });

  it('is required: a worker refuses to poll a namespace that lacks the attributes', async () => {
    const namespace = `bare-${randomUUID()}`;
    await connection.workflowService.registerNamespace({ namespace, workflowExecutionRetentionPeriod: msToTs('1 day') });

    const worker = spawnSync(process.execPath, [appEntryPoints.worker], {
      env: {
        PATH: process.env.PATH,
        TEMPORAL_ADDRESS: address,
        TEMPORAL_NAMESPACE: namespace,
        UPSTREAM_ACCESS_TOKEN: 'APP_USR-unused',
        WORKFLOW_BUNDLE_PATH: join(repoRoot, 'dist/workflow-bundle.js'),
      },
      cwd: tmpdir(),
      encoding: 'utf8',
      timeout: 60_000,
    });

    expect(worker.status).toBe(1);
    expect(worker.stderr + worker.stdout).toContain(`namespace "${namespace}" lacks search attributes PaymentOperation, OrderId`);
  });

  it('fails with a message when Temporal cannot be reached', () => {
    const result = spawnSync(process.execPath, [join(repoRoot, 'dist/scripts/register-search-attributes.js')], {
      env: { PATH: process.env.PATH, TEMPORAL_ADDRESS: '127.0.0.1:1', TEMPORAL_NAMESPACE: 'default' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('cannot register search attributes at 127.0.0.1:1');
  });
});
