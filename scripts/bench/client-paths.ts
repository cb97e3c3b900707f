import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { Client, WithStartWorkflowOperation, type WorkflowHandle } from '@temporalio/client';
import { NativeConnection, Worker, bundleWorkflowCode } from '@temporalio/worker';
import type { AttemptActivityKind, PaymentWriteInput, PaymentWriteResult } from '../../libs/contracts/src/payment-write';
import type { UpstreamAttempt, UpstreamRequest } from '../../libs/contracts/src/upstream';
import { markdownTable } from '../lib/markdown-table';
import { UNCHANGED_STACK } from './bench-plan';
import { startBenchStack, type BenchStack } from './bench-stack';
import { summarizeLatencies } from './latency-summary';
import { awaitResultUpdate } from './prototypes/result-update.workflow';
import { createOrders } from './simulator-fixtures';

const TASK_QUEUE = 'client-paths';
/** How often the describe-polling variant asks whether the run has closed. */
const DESCRIBE_POLL_MS = 5;
const USAGE = 'usage: client-paths [--rounds N] [--payments-per-round N]';

/** How the caller starts a run and learns its result. */
type WaitPath = 'start+result' | 'eager start+result' | 'start+describe polling' | 'update-with-start';
const waitPaths: readonly WaitPath[] = ['start+result', 'eager start+result', 'start+describe polling', 'update-with-start'];

interface Variant {
  path: WaitPath;
  attempt: AttemptActivityKind;
}

/**
 * `npm run bench:client-paths`: a prototype of an API that hosts its own worker on one
 * NativeConnection (what eager workflow start needs), measuring one payment at a time from the
 * start call to the result, by each way of waiting and each kind of attempt activity. The
 * variants take turns in every round, so load from elsewhere falls on all of them alike.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: { rounds: { type: 'string', default: '3' }, 'payments-per-round': { type: 'string', default: '20' } },
    strict: true,
  });
  const rounds = boundedInteger('rounds', values.rounds, 20);
  const perRound = boundedInteger('payments-per-round', values['payments-per-round'], 200);
  const variants = waitPaths.flatMap((path) => (['regular', 'local'] as const).map((attempt) => ({ path, attempt })));

  const stack = await startBenchStack({
    simulatorLatencyMs: 0,
    apiEnvironment: {},
    variant: UNCHANGED_STACK,
    verbose: false,
  });
  const connection = await NativeConnection.connect({ address: stack.temporalAddress });
  try {
    const worker = await Worker.create({
      connection,
      taskQueue: TASK_QUEUE,
      workflowBundle: await bundleWorkflowCode({ workflowsPath: require.resolve('./prototypes/result-update.workflow'), logger: quietBundlerLogger }),
      activities: { sendUpstreamRequest: upstreamActivity(stack) },
    });
    const client = new Client({ connection });
    const latencies = new Map<string, number[]>(variants.map((variant) => [label(variant), []]));
    await worker.runUntil(async () => {
      for (let round = 1; round <= rounds; round += 1) {
        console.log(`[client-paths] round ${round}/${rounds}`);
        for (const variant of variants) {
          for (const orderId of await createOrders(stack, perRound)) {
            const startedAt = performance.now();
            const result = await pay(client, variant, orderId);
            if (result.status !== 200) throw new Error(`${label(variant)}: processing ${orderId} answered ${result.status}`);
            latencies.get(label(variant))?.push(performance.now() - startedAt);
          }
        }
      }
    });
    const rows = variants.map((variant) => {
      const summary = summarizeLatencies(latencies.get(label(variant)) ?? []);
      return [variant.path, variant.attempt, String(rounds * perRound), String(summary.p50), String(summary.p90), String(summary.p99)];
    });
    console.log(`\n${markdownTable(['Wait', 'Attempt activity', 'Payments', 'p50 ms', 'p90 ms', 'p99 ms'], rows)}\n`);
  } finally {
    await connection.close();
    await stack.stop();
  }
}

function boundedInteger(option: string, text: string, maximum: number): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1 || value > maximum) throw new Error(`--${option} takes 1 to ${maximum}, not "${text}"\n${USAGE}`);
  return value;
}

function label(variant: Variant): string {
  return `${variant.path}/${variant.attempt}`;
}

/** One payment, started and awaited as the variant says. */
async function pay(client: Client, variant: Variant, orderId: string): Promise<PaymentWriteResult> {
  const workflowId = randomUUID();
  const input: PaymentWriteInput = {
    operation: 'order.process',
    clientId: 'bench',
    orderId,
    request: { method: 'POST', path: `/v1/orders/${orderId}/process`, idempotencyKey: workflowId },
    attemptTimeoutMs: 10_000,
    retry: { initialIntervalMs: 500, maximumIntervalMs: 30_000, budgetMs: 600_000 },
    attemptActivity: variant.attempt,
  };
  const options = { workflowId, taskQueue: TASK_QUEUE, args: [input] as [PaymentWriteInput] };
  switch (variant.path) {
    case 'start+result':
      return (await client.workflow.start('paymentWriteWorkflow', options)).result() as Promise<PaymentWriteResult>;
    case 'eager start+result':
      return (await client.workflow.start('paymentWriteWorkflow', { ...options, requestEagerStart: true })).result() as Promise<PaymentWriteResult>;
    case 'start+describe polling':
      return describeUntilClosed(await client.workflow.start('paymentWriteWorkflow', options));
    case 'update-with-start':
      return client.workflow.executeUpdateWithStart(awaitResultUpdate, {
        startWorkflowOperation: new WithStartWorkflowOperation('paymentWriteWithResultUpdate', { ...options, workflowIdConflictPolicy: 'FAIL' }),
      });
  }
}

async function describeUntilClosed(handle: WorkflowHandle): Promise<PaymentWriteResult> {
  for (let polls = 0; polls < 2_000; polls += 1) {
    if ((await handle.describe()).status.name !== 'RUNNING') return handle.result() as Promise<PaymentWriteResult>;
    await new Promise((resolve) => setTimeout(resolve, DESCRIBE_POLL_MS));
  }
  throw new Error(`run ${handle.workflowId} still running after 2000 polls`);
}

/** The worker's upstream call, reduced to what a successful process needs: the same HTTP request. */
function upstreamActivity(stack: BenchStack) {
  return async (request: UpstreamRequest): Promise<UpstreamAttempt> => {
    const response = await fetch(`${stack.simulatorUrl}${request.path}`, {
      method: request.method,
      headers: { Authorization: `Bearer ${stack.merchantToken}`, 'X-Idempotency-Key': request.idempotencyKey },
      signal: AbortSignal.timeout(request.timeoutMs),
    });
    return { kind: 'final', status: response.status, body: (await response.json()) as PaymentWriteResult['body'] };
  };
}

const quietBundlerLogger = {
  log: () => undefined,
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: (message: string) => console.warn(message),
  error: (message: string) => console.error(message),
};

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
