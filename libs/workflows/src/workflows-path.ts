/**
 * Where the worker's bundler finds the workflow code. Kept out of index.ts: it runs in Node, not
 * in the workflow sandbox.
 */
export const WORKFLOWS_PATH: string = require.resolve('./index');

/** The workflow interceptor module every bundle includes (apps/worker/src/bundle-workflows.ts). */
export const RUN_CONCLUSIONS_INTERCEPTOR_PATH: string = require.resolve('./run-conclusions.interceptor');

/**
 * Modules every bundle loads once per worker thread instead of once per run (the bundler's
 * `preloadModules`): with the SDK's reusable V8 context, every other module a workflow imports is
 * evaluated again for each run. The SDK's workflow API was the bulk of that work (BENCHMARKS.md,
 * "New payments at the floor": about 1 ms of the workflow thread and 3 ms of the API's CPU per
 * payment), and it keeps no per-run state at module level: it reads the current run from the
 * activator on every call, and its internals, which hold the rest, are shared between runs by the
 * SDK itself. The project's own modules are not preloaded: the payment workflow's module registers
 * its options per run (setWorkflowOptions). Nor is @noble/hashes: it declares itself free of side
 * effects, so webpack drops a preload whose result goes unused.
 */
export const WORKFLOW_PRELOAD_MODULES: readonly string[] = ['@temporalio/workflow'];
