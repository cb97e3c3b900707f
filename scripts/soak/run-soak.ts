import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Client } from '@temporalio/client';
import { callbackTaskQueue, clientCallbacksWorkflowId } from '../../libs/contracts/src';
import { describeMachine } from '../bench/machine';
import { writeResultFiles } from '../bench/result-files';
import { payOrder } from '../drill/checkout';
import { upstreamEvidence } from '../drill/drill-evidence';
import { newKey } from '../drill/drill-load';
import { DRILL_TASK_QUEUE, DrillStack } from '../drill/drill-stack';
import { differingReplays } from '../drill/replays';
import { SimulatorControls } from '../drill/simulator-controls';
import { LAB_CLUSTER_DESCRIPTION } from '../lib/stack/temporal-choice';
import { runAgainstStack } from '../lib/supervised-run';
import { CallbackReceiver } from './callback-receiver';
import { ANSWER_MEMORY_MAX_BYTES, ORDER_OWNERSHIP_TTL_MS, readSoakPlan, type SoakPlan } from './soak-plan';
import { readCallbackEvents, SAMPLED_WORKFLOW_TYPES, takeSample, type Sample } from './soak-sampler';
import { SoakTraffic, type SoakClients } from './soak-traffic';
import { checkSoak, type SoakCheck } from './soak-verdict';
import { svgLineCharts, type Chart } from './svg-chart';

const SHOP_TOKEN = 'soak-shop-client-token';
const WEBHOOK_SECRET = 'soak-merchant-webhook-secret';
const CALLBACK_SECRET = 'soak-checkout-callback-secret-of-32-characters';
/** How long a restarted worker (and every other app) gets to answer its readiness probe again. */
const READY_TIMEOUT_MS = 90_000;
const DRAIN_POLL_MS = 2_000;

interface SoakRun {
  samples: Sample[];
  drained: Sample;
  checks: SoakCheck[];
  traffic: Record<string, unknown>;
  workerRestarts: (number | null)[];
}

/**
 * `npm run soak [-- --minutes 25] [-- --temporal postgres]`: mixed traffic on a private stack for a
 * bounded time, with a worker restart every few minutes, sampled every ~30 s (process memory, open
 * workflows by type, history lengths, continue-as-new, the answer memory, the callback events in
 * the clients' callbacks workflows); then a drain and the checks that all of it stayed bounded and
 * every payment invariant held. Writes artifacts/soak/latest.json and latest.svg; exits 1 when a
 * check failed. RELIABILITY.md, "Soak".
 */
async function main(): Promise<void> {
  const plan = readSoakPlan(process.argv.slice(2));
  const startedAt = new Date();
  const machine = describeMachine();
  const configuration = describeConfiguration(plan);
  console.log(`Soak (${plan.minutes} min, Temporal: ${plan.temporal}) on ${machine.cpuCount} × ${machine.cpuModel}, Node ${machine.node}`);
  console.log(JSON.stringify(configuration, null, 2));

  const receiver = new CallbackReceiver(CALLBACK_SECRET);
  await receiver.listen();
  try {
    const stack = await DrillStack.start(plan.apiEnvironment, plan.verbose, plan.temporal, {
      clients: { shop: SHOP_TOKEN },
      webhookSecret: WEBHOOK_SECRET,
      settings: { CLIENT_CALLBACK_URLS: `drill=${receiver.url}`, CLIENT_CALLBACK_SECRETS: `drill=${CALLBACK_SECRET}` },
      operatorPorts: true,
      dynamicConfig: { 'limit.historyCount.suggestContinueAsNew': plan.suggestContinueAsNewAfterEvents },
    });
    const clients: SoakClients = { callback: { id: 'drill', token: stack.clientToken }, plain: { id: 'shop', token: SHOP_TOKEN } };
    const run = await runAgainstStack(
      stack,
      () => soak(stack, plan, clients, receiver),
      (reason) => `${reason}, and nobody stopped it`,
    );
    const passed = run.checks.every((check) => check.status !== 'fail');
    const result = { startedAt: startedAt.toISOString(), finishedAt: new Date().toISOString(), machine, configuration, ...run, passed };
    const file = writeResultFiles(plan.outputDirectory, result);
    const svg = svgLineCharts(charts(run.samples, plan), 'minutes since the traffic started');
    writeFileSync(file.replace(/\.json$/, '.svg'), svg);
    writeFileSync(join(plan.outputDirectory, 'latest.svg'), svg);
    for (const check of run.checks) console.log(`${check.status.toUpperCase().padEnd(7)} ${check.name}: ${check.detail}`);
    console.log(`Results written to ${file} (and latest.json, latest.svg beside it). ${passed ? 'Every check held.' : 'CHECKS FAILED.'}`);
    if (!passed) process.exitCode = 1;
  } finally {
    await receiver.close();
  }
}

async function soak(stack: DrillStack, plan: SoakPlan, clients: SoakClients, receiver: CallbackReceiver): Promise<SoakRun> {
  const temporal = await stack.temporal();
  step('waiting for a first payment to complete');
  const first = await newKey(stack, 'soak-first-payment', false);
  await payOrder(stack, first, Date.now() + 60_000, plan.requestTimeoutMs);
  if (first.final === null) throw new Error(`the stack answered no first payment within 60 s: ${JSON.stringify(first.answers)}`);

  // The callback client's callbacks workflow, which its first payment started: asked at every sample, whatever visibility lists.
  const callbackWorkflowIds = [clientCallbacksWorkflowId(callbackTaskQueue(DRILL_TASK_QUEUE), clients.callback.id)];
  const traffic = new SoakTraffic(stack, clients, plan);
  const startedAt = Date.now();
  const endAt = startedAt + plan.minutes * 60_000;
  const samples: Sample[] = [await takeSample(stack, temporal, traffic, startedAt, callbackWorkflowIds)];
  const workerRestarts: (number | null)[] = [];
  step(`${plan.minutes} min of traffic on ${plan.lanes} checkouts, a sample every ${plan.sampleSeconds} s, the first worker restarted every ${plan.workerRestartMinutes} min`);

  const sampling = async () => {
    for (let next = startedAt + plan.sampleSeconds * 1000; next <= endAt; next += plan.sampleSeconds * 1000) {
      await sleepUntil(next);
      const sample = await takeSample(stack, temporal, traffic, startedAt, callbackWorkflowIds);
      samples.push(sample);
      console.log(`  ${describeSample(sample)}`);
    }
  };
  const restarting = async () => {
    for (let next = startedAt + plan.workerRestartMinutes * 60_000; next < endAt; next += plan.workerRestartMinutes * 60_000) {
      await sleepUntil(next);
      const restartedAt = Date.now();
      await stack.restart('worker');
      // From the SIGTERM to every readiness probe answering 200: the stop's drain, the start, the first poll.
      const seconds = (await stack.waitUntilReady(READY_TIMEOUT_MS)) === null ? null : (Date.now() - restartedAt) / 1000;
      workerRestarts.push(seconds);
      console.log(`  worker restarted: ready again after ${seconds === null ? 'more than 90' : seconds.toFixed(1)} s`);
    }
  };
  await Promise.all([traffic.run(endAt), sampling(), restarting()]);

  step('traffic over: settling the long-pending payments and waiting for every follow-up, run and callback to end');
  await traffic.settleLongPending();
  const callbackKeys = [...traffic.log.keys, ...traffic.log.creates].filter((record) => record.clientId === clients.callback.id && record.final !== null).map((record) => record.key);
  await drain(temporal, receiver, callbackKeys, callbackWorkflowIds, plan.drainTimeoutMs);
  const drained = await takeSample(stack, temporal, traffic, startedAt, callbackWorkflowIds);
  console.log(`  drained: ${describeSample(drained)}`);

  step('replaying every answered key once more and reading the upstream journal');
  const finalReplays = (
    await Promise.all(
      [clients.callback, clients.plain].map(({ id }) =>
        differingReplays(
          traffic.targetOf(id),
          traffic.log.keys.filter((key) => key.clientId === id),
          plan.requestTimeoutMs,
        ),
      ),
    )
  ).flat();
  const upstream = await upstreamEvidence(new SimulatorControls(stack.simulatorUrl), traffic.log.keys);

  const checks = checkSoak({
    minutes: plan.minutes,
    lanes: plan.lanes,
    suggestContinueAsNewAfterEvents: plan.suggestContinueAsNewAfterEvents,
    answerMemoryMaxBytes: ANSWER_MEMORY_MAX_BYTES,
    ownershipTtlMs: ORDER_OWNERSHIP_TTL_MS,
    samples,
    drained,
    traffic: traffic.log,
    finalReplays,
    upstream,
    callbacks: { delivered: receiver.delivered, expectedKeys: callbackKeys, bad: receiver.bad },
    workerRestarts,
  });
  return { samples, drained, checks, traffic: summariseTraffic(traffic, receiver), workerRestarts };
}

/**
 * Polls until no payment run, follow-up or callback is open, every callbacks workflow was read and
 * holds no event pending, and every expected callback came, or the timeout.
 */
async function drain(temporal: Client, receiver: CallbackReceiver, callbackKeys: readonly string[], callbackWorkflowIds: readonly string[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const open = await Promise.all(
      SAMPLED_WORKFLOW_TYPES.filter((type) => type !== 'orderOwnershipWorkflow').map(
        async (type) => (await temporal.workflow.count(`WorkflowType = "${type}" AND ExecutionStatus = "Running"`)).count,
      ),
    );
    const events = await readCallbackEvents(temporal, callbackWorkflowIds);
    if (open.every((count) => count === 0) && events.unread.length === 0 && events.pending === 0 && callbackKeys.every((key) => receiver.delivered.has(key))) return;
    await new Promise((resolve) => setTimeout(resolve, DRAIN_POLL_MS));
  }
}

function summariseTraffic(traffic: SoakTraffic, receiver: CallbackReceiver): Record<string, unknown> {
  const { keys, creates, pending, replays } = traffic.log;
  const byKind: Record<string, number> = {};
  const answers: Record<string, number> = {};
  for (const key of keys) {
    byKind[key.kind] = (byKind[key.kind] ?? 0) + 1;
    for (const [label, count] of Object.entries(key.answers)) answers[label] = (answers[label] ?? 0) + count;
  }
  const createAnswers: Record<string, number> = {};
  for (const create of creates) for (const [label, count] of Object.entries(create.answers)) createAnswers[label] = (createAnswers[label] ?? 0) + count;
  return {
    paymentKeys: keys.length,
    keysByKind: byKind,
    paymentAnswers: answers,
    creates: creates.length,
    createAnswers,
    pendingPayments: pending.length,
    pendingDeclinedAtSettlement: pending.filter((order) => order.outcome === 'declined').length,
    replaysDuringTraffic: replays.sent,
    callbacksDelivered: [...receiver.delivered.values()].reduce((sum, count) => sum + count, 0),
    callbacksRefusedOnPurpose: receiver.refused,
  };
}

/** The plot's names for the workflow types. */
const TYPE_LABELS: Readonly<Record<string, string>> = {
  paymentWriteWorkflow: 'payment runs',
  orderFollowUpWorkflow: 'follow-ups',
  orderOwnershipWorkflow: 'ownership records',
  paymentRunCallbackWorkflow: 'per-run callbacks',
};

/**
 * The plot: memory per process, the answer memory against its bound, open workflows by type, the
 * callback events pending and undelivered, the longest open histories against the threshold,
 * continue-as-new.
 */
function charts(samples: readonly Sample[], plan: SoakPlan): Chart[] {
  const minutes = (sample: Sample) => Math.round((sample.elapsedSeconds / 60) * 100) / 100;
  const names = [...new Set(samples.flatMap((sample) => sample.processes.map((process) => process.name)))];
  const series = (name: string, value: (sample: Sample) => number | null) => ({
    name,
    points: samples.flatMap((sample) => {
      const y = value(sample);
      return y === null ? [] : [[minutes(sample), y] as const];
    }),
  });
  const mib = (bytes: number | null | undefined) => (bytes === null || bytes === undefined ? null : bytes / 1024 / 1024);
  const label = (type: string) => TYPE_LABELS[type] ?? type;
  return [
    {
      title: 'Resident memory per process',
      unit: 'MiB',
      series: names.map((name) => series(name, (sample) => mib(sample.processes.find((process) => process.name === name)?.rssBytes))),
    },
    {
      title: 'Heap used per process',
      unit: 'MiB',
      series: names.map((name) => series(name, (sample) => mib(sample.processes.find((process) => process.name === name)?.heapUsedBytes))),
    },
    {
      title: 'Answer memory per API',
      unit: 'MiB',
      series: [
        ...names.filter((name) => name.startsWith('api')).map((name) => series(name, (sample) => mib(sample.processes.find((process) => process.name === name)?.answerMemoryBytes))),
        series('bound', () => mib(ANSWER_MEMORY_MAX_BYTES)),
      ],
    },
    { title: 'Open workflows by type', unit: 'runs', series: SAMPLED_WORKFLOW_TYPES.map((type) => series(label(type), (sample) => sample.openWorkflows[type] ?? 0)) },
    {
      title: 'Callback events in the clients’ callbacks workflows',
      unit: 'events',
      // A sample with a workflow unread has no point: its counts are only a lower bound.
      series: (['pending', 'undelivered'] as const).map((count) => series(count, (sample) => (sample.callbackEvents.unread.length === 0 ? sample.callbackEvents[count] : null))),
    },
    {
      title: 'Longest open history, and continue-as-new so far',
      unit: 'events / runs',
      series: [
        ...Object.keys(samples[0]?.histories ?? {}).map((type) => series(`longest ${label(type).replace(/s$/, '')}`, (sample) => sample.histories[type]?.max ?? 0)),
        series('threshold', () => plan.suggestContinueAsNewAfterEvents),
        series('continued as new', (sample) => sample.continuedAsNew.orderFollowUpWorkflow ?? 0),
      ],
    },
  ];
}

function describeSample(sample: Sample): string {
  const memory = sample.processes.map((process) => `${process.name} ${((process.rssBytes ?? 0) / 1024 / 1024).toFixed(0)} MiB`).join(', ');
  const open = Object.entries(sample.openWorkflows)
    .map(([type, count]) => `${type} ${count}`)
    .join(', ');
  const histories = Object.entries(sample.histories)
    .map(([type, history]) => `${type} ≤ ${history.max}`)
    .join(', ');
  const events = sample.callbackEvents;
  // With a workflow unread the counts are only what the others hold.
  const atLeast = events.unread.length > 0 ? '≥ ' : '';
  const callbacks = `callback events pending ${atLeast}${events.pending}, undelivered ${atLeast}${events.undelivered}${events.unread.length > 0 ? ` (${events.unread.length} of ${events.workflows} workflows unread: ${events.unread.join('; ')})` : ''}`;
  return `${sample.elapsedSeconds} s: ${sample.traffic.keys} keys; RSS ${memory}; open ${open}; ${callbacks}; histories ${histories}; continued as new ${sample.continuedAsNew.orderFollowUpWorkflow ?? 0}`;
}

/** What the run did, as stored in the result: enough to repeat it. */
function describeConfiguration(plan: SoakPlan): Record<string, unknown> {
  return {
    ...plan,
    outputDirectory: undefined,
    verbose: undefined,
    temporal: plan.temporal === 'postgres' ? LAB_CLUSTER_DESCRIPTION : 'dev server, SQLite file in a temporary folder, headless',
    instances: plan.temporal === 'postgres' ? 'two APIs (each request to one at random) and two workers; the first worker is the one restarted' : 'one API, one worker',
    clients: 'drill (callback URL, refusing one delivery in ten with 503) and shop (none); orders created through the API are each client’s own',
  };
}

async function sleepUntil(time: number): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, time - Date.now())));
}

function step(text: string): void {
  console.log(`[soak] ${text}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
