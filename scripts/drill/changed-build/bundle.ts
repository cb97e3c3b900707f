import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';
import { repoRoot } from '../../lib/paths';

/** Bundles the drill's changed workflows (workflows.ts beside this file) into `directory`; returns the bundle's path, for WORKFLOW_BUNDLE_PATH. */
export async function bundleChangedBuild(directory: string): Promise<string> {
  const { code } = await bundleWorkflowCode({ workflowsPath: join(repoRoot, 'scripts/drill/changed-build/workflows.ts'), logger: new DefaultLogger('WARN') });
  const path = join(directory, 'changed-workflow-bundle.js');
  writeFileSync(path, code);
  return path;
}
