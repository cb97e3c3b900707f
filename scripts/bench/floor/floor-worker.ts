import { NativeConnection, Worker } from '@temporalio/worker';
import { floorActivities } from './floor-activity';
import { FLOOR_TASK_QUEUE } from './floor-contract';
import { requiredSetting } from './floor-environment';

/**
 * The plain-Temporal floor's worker, with the SDK's default options: its own process (as the
 * orchestrator's worker is), its own task queue on the bench's dev server. The workflow is bundled
 * at start-up, before the bench measures anything; the SDK stops the worker on SIGTERM.
 */
async function main(): Promise<void> {
  const connection = await NativeConnection.connect({ address: requiredSetting('TEMPORAL_ADDRESS') });
  try {
    const worker = await Worker.create({
      connection,
      taskQueue: FLOOR_TASK_QUEUE,
      workflowsPath: require.resolve('./floor.workflow'),
      activities: floorActivities({ baseUrl: requiredSetting('UPSTREAM_BASE_URL'), accessToken: requiredSetting('UPSTREAM_ACCESS_TOKEN') }),
    });
    await worker.run();
  } finally {
    await connection.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
