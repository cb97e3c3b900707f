import { NativeConnection, type NativeConnectionOptions, type Worker } from '@temporalio/worker';
import { createCallbackWorker, createPaymentWorker, type PaymentWorkerParts } from './create-payment-worker';
import type { MerchantAccount } from '@app/config';

/** The merchants' workers (one per namespace) on the one connection they poll through. */
export interface PaymentWorkers {
  connection: NativeConnection;
  workers: Worker[];
}

export interface PaymentWorkersParts extends Omit<PaymentWorkerParts, 'connection' | 'merchant'> {
  connection: NativeConnectionOptions;
  merchants: readonly MerchantAccount[];
}

/**
 * Connects to Temporal and builds a worker for each merchant on that connection (the standalone
 * process adds each merchant's callback worker): the one builder of
 * the standalone worker and of the API's hosted worker, which differ only in `role`. Run them with
 * runWorkersTogether, then close the connection. If a worker cannot be built, the connection is
 * closed here and the error thrown.
 */
export async function buildPaymentWorkers({ connection: options, merchants, ...parts }: PaymentWorkersParts): Promise<PaymentWorkers> {
  const connection = await NativeConnection.connect(options);
  try {
    const workers: Worker[] = [];
    for (const merchant of merchants) {
      workers.push(await createPaymentWorker({ ...parts, connection, merchant }));
      if (parts.role === 'standalone') workers.push(await createCallbackWorker({ ...parts, connection, merchant }));
    }
    return { connection, workers };
  } catch (error) {
    // A worker built before the failure keeps the connection referenced, so close() throws: that
    // must not hide the error that got us here.
    await connection.close().catch(() => undefined);
    throw error;
  }
}
