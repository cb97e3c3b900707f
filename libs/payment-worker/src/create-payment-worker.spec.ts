import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '@temporalio/common';
import { coresdk } from '@temporalio/proto';
import { CHECKED_TEMPORAL_WORKER_VERSION, hearEvictions } from './create-payment-worker';

const { EvictionReason } = coresdk.workflow_activation.RemoveFromCache;

describe('hearEvictions', () => {
  it('hands each eviction to the listener, and never lets its throw reach the SDK that emitted it', () => {
    const emitter = new EventEmitter();
    const heard: unknown[] = [];
    const errors: unknown[] = [];
    const log = { error: (message: string, meta: unknown) => errors.push({ message, meta }) } as unknown as Logger;
    hearEvictions(
      emitter,
      (runId, reason) => {
        heard.push([runId, reason]);
        throw new Error('listener bug');
      },
      log,
    );
    expect(() => emitter.emit('eviction', { runId: 'run-1', evictJob: { reason: EvictionReason.WORKFLOW_EXECUTION_ENDING } })).not.toThrow();
    expect(heard).toEqual([['run-1', EvictionReason.WORKFLOW_EXECUTION_ENDING]]);
    expect(errors).toEqual([{ message: 'an eviction listener failed', meta: { runId: 'run-1', error: 'listener bug' } }]);
  });

  it('was checked against the @temporalio/worker version package.json names (an upgrade must re-check the eviction ordering)', () => {
    const manifest = JSON.parse(readFileSync(join(__dirname, '../../../package.json'), 'utf8')) as { dependencies: Record<string, string> };
    expect(manifest.dependencies['@temporalio/worker']).toBe(CHECKED_TEMPORAL_WORKER_VERSION);
  });
});
