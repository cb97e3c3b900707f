import { locateTemporalTestServer } from '../../scripts/lib/temporal-test-server';

/**
 * Finds (or installs, once) the time-skipping test server before any test starts, and hands its
 * path to the tests: given an existing executable, @temporalio/testing downloads nothing.
 */
export default function timeSkippingSetup(): void {
  process.env.TEMPORAL_TEST_SERVER_PATH = locateTemporalTestServer();
}
