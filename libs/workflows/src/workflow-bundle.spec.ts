import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';
import { WORKFLOWS_PATH } from './workflows-path';

describe('the workflow bundle', () => {
  it('builds from source with nothing but sandbox-safe imports', async () => {
    const { code } = await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: new DefaultLogger('WARN') });

    expect(code).toContain('paymentWriteWorkflow');
    expect(code).not.toMatch(/@nestjs\//);
  }, 60_000);
});
