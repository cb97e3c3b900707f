import { Client, Connection } from '@temporalio/client';
import { AesGcmPayloadCodec, encryptionKeysFrom, encryptionVariables } from '../../libs/encryption/src';
import { loadConfig, temporalConnectionOptions, temporalVariables } from '../../libs/config/src';
import { localEnvironment } from './stack/local-environment';

/**
 * A Temporal client for operators' commands, holding the payload keys from the environment (or
 * .env): for scripts that read payloads without going through the codec server.
 */
export async function operatorClient(): Promise<{ client: Client; codec: AesGcmPayloadCodec; close: () => Promise<void> }> {
  const config = loadConfig({ ...temporalVariables, ...encryptionVariables }, localEnvironment());
  const keys = encryptionKeysFrom(config);
  if (keys === null) throw new Error('PAYLOAD_ENCRYPTION_KEYS is unset: payloads are not encrypted, the Web UI shows them as they are');
  const codec = new AesGcmPayloadCodec(keys, 'pass');
  const connection = await Connection.connect(temporalConnectionOptions(config));
  const client = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE, dataConverter: { payloadCodecs: [codec] } });
  return { client, codec, close: () => connection.close() };
}

/** Runs an operator command, printing a plain message on failure. */
export function runOperatorCommand(main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
