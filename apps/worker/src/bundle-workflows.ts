import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';
import { runOrExplain } from '@app/config';
import { tracedBundlePath } from '@app/payment-worker';
import { RUN_CONCLUSIONS_INTERCEPTOR_PATH, WORKFLOW_PRELOAD_MODULES, WORKFLOWS_PATH } from '@app/workflows/workflows-path';

/**
 * Build step: bundles the workflow code once, so workers start fast and run exactly what was
 * tested. Twice in fact: plain, and traced (with OpenTelemetry's workflow interceptors, which
 * continue the API's trace from the start's headers); each worker loads the one its tracing needs.
 * libs/workflows stays free of tracing code; the worker supplies the sink the interceptors use.
 * Both carry the payment runs' conclusion reports (libs/workflows/src/run-conclusions.interceptor.ts).
 */
runOrExplain(async () => {
  const outputPath = process.argv[2] ?? 'dist/workflow-bundle.js';
  const tracingInterceptors = require.resolve('@temporalio/interceptors-opentelemetry/lib/workflow-interceptors');
  const bundles: [string, string[]][] = [
    [outputPath, [RUN_CONCLUSIONS_INTERCEPTOR_PATH]],
    [tracedBundlePath(outputPath), [RUN_CONCLUSIONS_INTERCEPTOR_PATH, tracingInterceptors]],
  ];
  for (const [path, workflowInterceptorModules] of bundles) {
    const { code } = await bundleWorkflowCode({
      workflowsPath: WORKFLOWS_PATH,
      workflowInterceptorModules,
      preloadModules: [...WORKFLOW_PRELOAD_MODULES],
      logger: new DefaultLogger('WARN'),
    });
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, code);
    console.log(`workflow bundle written to ${path} (${Math.round(code.length / 1024)} KiB)`);
  }
});
