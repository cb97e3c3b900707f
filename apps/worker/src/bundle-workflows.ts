import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';
import { runOrExplain } from '@app/config';
import { WORKFLOWS_PATH } from '@app/workflows/workflows-path';

/** Build step: bundles the workflow code once, so workers start fast and run exactly what was tested. */
runOrExplain(async () => {
  const outputPath = process.argv[2] ?? 'dist/workflow-bundle.js';
  const { code } = await bundleWorkflowCode({
    workflowsPath: WORKFLOWS_PATH,
    // Workflow spans (continuing the API's trace from the start's headers); libs/workflows stays
    // free of tracing code, and the worker supplies the sink these interceptors export through.
    workflowInterceptorModules: [require.resolve('@temporalio/interceptors-opentelemetry/lib/workflow-interceptors')],
    logger: new DefaultLogger('WARN'),
  });
  mkdirSync(dirname(outputPath), { recursive: true });
  writeFileSync(outputPath, code);
  console.log(`workflow bundle written to ${outputPath} (${Math.round(code.length / 1024)} KiB)`);
});
