import { Logger, type Provider } from '@nestjs/common';
import { Client, Connection } from '@temporalio/client';
import { OpenTelemetryWorkflowClientInterceptor } from '@temporalio/interceptors-opentelemetry';
import { encryptionKeysFrom, payloadCodecs } from '@app/encryption';
import { API_CONFIG, type ApiConfig } from '../api-config';

/**
 * One long-lived client per process. The connection is lazy so the API starts (and answers
 * 500 idempotency_validation_failed) even while Temporal is down, instead of refusing to boot.
 */
export const temporalClientProvider: Provider<Client> = {
  provide: Client,
  inject: [API_CONFIG],
  useFactory: (config: ApiConfig) => {
    const encryption = encryptionKeysFrom(config);
    if (encryption === null) new Logger('Temporal').warn('PAYLOAD_ENCRYPTION_KEYS is unset: request bodies are stored in Temporal in plain text');
    return new Client({
      connection: Connection.lazy({ address: config.TEMPORAL_ADDRESS }),
      namespace: config.TEMPORAL_NAMESPACE,
      dataConverter: { payloadCodecs: payloadCodecs(encryption) },
      // Puts the request's trace context in the start's headers, so the run's spans join its trace.
      interceptors: { workflow: [new OpenTelemetryWorkflowClientInterceptor()] },
    });
  },
};
