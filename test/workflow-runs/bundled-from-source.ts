import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleWorkflowCode, type Logger, type WorkflowBundle } from '@temporalio/worker';
import { WORKFLOW_PRELOAD_MODULES, WORKFLOWS_PATH } from '@app/workflows/workflows-path';
import { repoRoot } from '../../scripts/lib/paths';

/**
 * Everything the workflow bundle is made of: the sources under libs/ (workflow code may import
 * only libs/workflows, libs/contracts and libs/mercadopago, relatively: eslint.config.mjs's sandbox
 * rule) and package-lock.json (the SDK's own workflow runtime).
 */
function sourceHash(interceptorModules: readonly string[]): string {
  const hash = createHash('sha256').update(`${interceptorModules.join('\0')}\0`);
  const visit = (path: string): void => {
    if (statSync(path).isDirectory()) {
      for (const entry of readdirSync(path).sort()) visit(join(path, entry));
    } else {
      hash.update(`${path}\0`).update(readFileSync(path)).update('\0');
    }
  };
  visit(join(repoRoot, 'libs'));
  visit(join(repoRoot, 'package-lock.json'));
  return hash.digest('hex');
}

/**
 * The workflow code bundled from source, as a worker bundles it (the same preloaded modules),
 * built once per source rather than once per test file (seconds of webpack each): kept in the OS's temp directory under the hash of
 * its sources and workflow interceptor modules, so an edit to any of them bundles afresh. Written
 * whole, then renamed, so a reader never sees half a bundle.
 */
export async function workflowBundleOfSource(logger: Logger, workflowInterceptorModules: readonly string[] = []): Promise<WorkflowBundle> {
  const path = join(tmpdir(), `payment-workflow-bundle-${sourceHash(workflowInterceptorModules)}.js`);
  if (existsSync(path)) return { code: readFileSync(path, 'utf8') };
  const { code } = await bundleWorkflowCode({
    workflowsPath: WORKFLOWS_PATH,
    workflowInterceptorModules: [...workflowInterceptorModules],
    preloadModules: [...WORKFLOW_PRELOAD_MODULES],
    logger,
  });
  const draft = `${path}.${process.pid}`;
  writeFileSync(draft, code);
  renameSync(draft, path);
  return { code };
}
