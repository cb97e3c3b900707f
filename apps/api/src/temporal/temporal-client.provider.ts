import { Logger, type Provider } from '@nestjs/common';
import { Client, Connection } from '@temporalio/client';
import { encryptionKeysFrom } from '@app/encryption';
import { API_CONFIG, type ApiConfig } from '../api-config';
import { apiClientOptions } from './temporal-access';

/**
 * One long-lived client per process. The connection is lazy so the API starts (and answers
 * 500 idempotency_validation_failed) even while Temporal is down, instead of refusing to boot.
 */
export const temporalClientProvider: Provider<Client> = {
  provide: Client,
  inject: [API_CONFIG],
  useFactory: (config: ApiConfig) => {
    if (encryptionKeysFrom(config) === null) new Logger('Temporal').warn('PAYLOAD_ENCRYPTION_KEYS is unset: request bodies are stored in Temporal in plain text');
    return new Client({ connection: Connection.lazy(config.temporalConnection), ...apiClientOptions(config) });
  },
};
