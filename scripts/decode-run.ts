import { defaultPayloadConverter } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { payloadsIn } from './lib/history-payloads';
import { operatorClient, runOperatorCommand } from './lib/operator-client';

/**
 * `npm run --silent decode-run -- <workflow-id>`: prints every payload of a run's history
 * (input, activity calls and results, memo, summary, result) decrypted, one JSON line per
 * payload. For operators holding PAYLOAD_ENCRYPTION_KEYS; nothing is printed without them.
 */
async function main(): Promise<void> {
  const workflowId = process.argv[2];
  if (workflowId === undefined) throw new Error('usage: npm run --silent decode-run -- <workflow-id>');
  const { client, codec, close } = await operatorClient();
  try {
    const history = await client.workflow.getHandle(workflowId).fetchHistory();
    for (const event of history.events ?? []) {
      for (const { path, payload } of payloadsIn(event)) {
        const [decoded] = await codec.decode([payload]);
        const eventType = temporal.api.enums.v1.EventType[event.eventType ?? 0];
        console.log(JSON.stringify({ eventId: String(event.eventId), eventType, path, value: defaultPayloadConverter.fromPayload(decoded!) }));
      }
    }
  } finally {
    await close();
  }
}

runOperatorCommand(main);
