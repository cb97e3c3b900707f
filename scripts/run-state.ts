import { runStateQuery } from '../libs/contracts/src/workflow-definitions';
import { operatorClient, runOperatorCommand } from './lib/operator-client';

/**
 * `npm run --silent run-state -- <workflow-id>`: a run's live state (phase, attempts, last upstream
 * status, next attempt), decrypted. Asks the run itself, so a worker must be polling.
 */
runOperatorCommand(async () => {
  const workflowId = process.argv[2];
  if (workflowId === undefined) throw new Error('usage: npm run --silent run-state -- <workflow-id>');
  const { client, close } = await operatorClient();
  try {
    console.log(JSON.stringify(await client.workflow.getHandle(workflowId).query(runStateQuery)));
  } finally {
    await close();
  }
});
