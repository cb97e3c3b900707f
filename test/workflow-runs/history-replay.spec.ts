import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DefaultLogger, Worker, type WorkflowBundle } from '@temporalio/worker';
import { IGNORED_RUN_CONCLUSIONS } from '@app/payment-worker';
import { RUN_CONCLUSIONS_INTERCEPTOR_PATH } from '@app/workflows/workflows-path';
import { historyFromJson } from './recorded-history';
import { workflowBundleOfSource } from './bundled-from-source';

/**
 * The determinism guard: histories recorded from real runs of earlier workflow code (each attempt
 * kind; first-attempt answers, retries, Retry-After, lost attempts, a budget spent) must replay
 * against the current code, or runs in flight during a deploy would fail. When the workflow
 * changes on purpose, keep old runs replaying (patched()) and record new histories:
 * `npm run record-workflow-histories` (README, "Changing the workflow").
 */
const HISTORIES = join(__dirname, 'histories');
const files = readdirSync(HISTORIES).filter((file) => file.endsWith('.json'));

describe('recorded workflow histories replay against the current workflow code', () => {
  let workflowBundle: WorkflowBundle;

  beforeAll(async () => {
    // With the interceptor every deployed bundle carries (apps/worker/src/bundle-workflows.ts).
    workflowBundle = await workflowBundleOfSource(new DefaultLogger('WARN'), [RUN_CONCLUSIONS_INTERCEPTOR_PATH]);
  }, 60_000);

  it('has histories of every attempt kind to replay', () => {
    expect(files.filter((file) => file.startsWith('first_local--')).length).toBeGreaterThan(0);
    expect(files.filter((file) => file.startsWith('regular--')).length).toBeGreaterThan(0);
    expect(files.filter((file) => file.startsWith('local--')).length).toBeGreaterThan(0);
  });

  it.each(files)(
    '%s',
    async (file) => {
      const history = historyFromJson(JSON.parse(readFileSync(join(HISTORIES, file), 'utf8')) as Record<string, unknown>);
      await Worker.runReplayHistory({ workflowBundle, replayName: file, sinks: IGNORED_RUN_CONCLUSIONS }, history, file);
    },
    60_000,
  );
});
