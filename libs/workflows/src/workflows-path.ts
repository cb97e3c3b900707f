/**
 * Where the worker's bundler finds the workflow code. Kept out of index.ts: it runs in Node, not
 * in the workflow sandbox.
 */
export const WORKFLOWS_PATH: string = require.resolve('./index');

/** The workflow interceptor module every bundle includes (apps/worker/src/bundle-workflows.ts). */
export const RUN_CONCLUSIONS_INTERCEPTOR_PATH: string = require.resolve('./run-conclusions.interceptor');
