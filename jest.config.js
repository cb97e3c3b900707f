// @ts-check
const { pathsToModuleNameMapper } = require('ts-jest');
const { compilerOptions } = require('./tsconfig.json');

/**
 * Shared by every project: TypeScript through ts-jest, with the tsconfig path aliases. Transpiled
 * file by file (isolatedModules), not type-checked again: `npm run typecheck` checks every file
 * of apps/, libs/, scripts/ and test/ with the same tsconfig.json, once, before jest in `npm test`
 * (ts-jest's checking compiled each file against a program of its own: minutes of CPU per run).
 */
const typescript = {
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: { isolatedModules: true } }] },
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper: pathsToModuleNameMapper(compilerOptions.paths, { prefix: '<rootDir>/' }),
  testEnvironment: 'node',
};

/**
 * The cluster lane (`npm run test:cluster`, README "Tests"): the end-to-end suites whose outcome
 * rests on the Temporal server and its persistence, run again on the real server on PostgreSQL.
 * The other suites test the apps' own logic (validation, the API's signals, its hosted worker's
 * restarts, a pause's control run, an unreachable server) the same way on either server, so the
 * dev-server run of `npm test` covers them.
 */
const CLUSTER_LANE = [
  // A worker killed mid-call, recovered from the server's timeouts; 100 concurrent starts of one workflow ID.
  'test/order-processing/process-order.e2e-spec.ts',
  // Eager start (the server's frontend and history hand the first task to the API), and the API dying inside it.
  'test/order-processing/eager-start.e2e-spec.ts',
  // Runs outliving their request on durable timers; a key started again once its run gave up or was terminated (the server's ID reuse).
  'test/order-processing/waiting-and-giving-up.e2e-spec.ts',
  // Two APIs racing starts of one key: one run, counted in the server's SQL visibility.
  'test/order-processing/answer-memory.e2e-spec.ts',
  // Every operation's matrix, its crash case included: the API and the worker killed holding calls.
  'test/operations/every-operation.e2e-spec.ts',
  // Worker Deployments (the server's versioning): pinned payment runs on a versioned stack, none on an unversioned one.
  'test/operations/versioned-rollout.e2e-spec.ts',
  // The quick drills with --temporal postgres: kill -9 of an API, a worker, the server, PostgreSQL.
  'test/drill/drill-quick.e2e-spec.ts',
];

/** @type {import('jest').Config} */
module.exports = {
  projects: [
    {
      ...typescript,
      displayName: 'unit',
      testMatch: ['<rootDir>/{apps,libs,scripts,test}/**/*.spec.ts'],
    },
    {
      ...typescript,
      displayName: 'e2e',
      testMatch: process.env.TEST_TEMPORAL === 'cluster' ? CLUSTER_LANE.map((path) => `<rootDir>/${path}`) : ['<rootDir>/test/**/*.e2e-spec.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
      setupFilesAfterEnv: ['<rootDir>/test/support/e2e-timeout.ts'],
    },
    {
      ...typescript,
      // Workflow timing (backoff, Retry-After, budgets) on Temporal's time-skipping test server:
      // timers fire as soon as the run has nothing else to do, so real durations cost no waiting.
      displayName: 'time-skipping',
      testMatch: ['<rootDir>/test/**/*.timeskip-spec.ts'],
      globalSetup: '<rootDir>/test/support/time-skipping-setup.ts',
      setupFilesAfterEnv: ['<rootDir>/test/support/e2e-timeout.ts'],
    },
  ],
};
