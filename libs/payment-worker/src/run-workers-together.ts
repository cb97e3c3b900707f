import type { Worker } from '@temporalio/worker';

/**
 * Runs the merchants' workers (one per namespace) until all have stopped. SIGINT and SIGTERM stop
 * them all (the SDK's runtime, where it handles signals); if one fails on its own, the others are
 * shut down too and the failure is thrown, so no process serves some merchants and silently not others.
 */
export async function runWorkersTogether(workers: readonly Worker[]): Promise<void> {
  const runs = workers.map((worker) =>
    worker.run().catch((error: unknown) => {
      for (const other of workers) if (other.getState() === 'RUNNING') other.shutdown();
      throw error;
    }),
  );
  const settled = await Promise.allSettled(runs);
  const failure = settled.find((result) => result.status === 'rejected');
  if (failure !== undefined) throw failure.reason;
}
