import { randomUUID } from 'node:crypto';
import type { BenchPlan } from './bench-plan';
import { summarizeScenario, type ScenarioResult } from './bench-result';
import { defaultPayloadConverter } from '@temporalio/common';
import type { temporal } from '@temporalio/proto';
import { callbackEventsSignal, callbackTaskQueue, clientCallbacksWorkflowId, type QueuedCallbacks } from '../../libs/contracts/src/callbacks';
import { BENCH_TASK_QUEUE, CALLED_BACK_CLIENT, type BenchStack, type CallbackClients } from './bench-stack';
import { runLoadStep, type StepObservation } from './load-step';
import { openCpuWindow, type CpuWindow } from './process-cpu';
import { completePayments, waitForRunsToDrain } from './orchestrator-payments';
import { duplicateSource, newPaymentSource, replaySource } from './payment-requests';
import { createOrders, processingEffects } from './simulator-fixtures';

/** Runs left over from a step get this long to finish before the next step starts. */
const DRAIN_TIMEOUT_MS = 30_000;

/** Orders (or replay requests) for one step: its time at the ceiling rate, and at least one per connection. */
function stepCapacity(seconds: number, ceiling: number, connections: number): number {
  return Math.max(connections, Math.ceil(seconds * ceiling));
}

/** Starts counting CPU time of the stack's processes and of this one, which runs autocannon. */
function watchCpu(stack: BenchStack): CpuWindow {
  return openCpuWindow(stack.processIds);
}

/** (a) The direct call: new payments sent straight to the simulator, as the worker's activity sends them. */
export function measureDirect(stack: BenchStack, plan: BenchPlan, connections: number): Promise<ScenarioResult> {
  const target = { scenario: 'simulator-direct', baseUrl: stack.simulatorUrl, token: stack.merchantToken, rateCeiling: plan.rateCeilings.direct } as const;
  return measureNewPayments(stack, plan, target, connections, plan.stepSeconds);
}

/** What the new-key and replay scenarios load: the orchestrator's API, or the engine floor's front. */
export type PaymentSystem = 'orchestrator' | 'floor';

/** Where a system takes requests; the floor ignores the Bearer token, so both get the same requests. */
export function systemUrl(stack: BenchStack, system: PaymentSystem): string {
  if (system === 'orchestrator') return stack.apiUrl;
  if (stack.floorUrl === null) throw new Error('the floor was not started: the plan has no floor scenario');
  return stack.floorUrl;
}

/** (b) New payments through the orchestrator, or (e) through the floor: a fresh key and a fresh order per request. */
export function measureNewKeys(stack: BenchStack, plan: BenchPlan, system: PaymentSystem, connections: number, durationSeconds = plan.stepSeconds): Promise<ScenarioResult> {
  const target = { scenario: `${system}-new-keys`, baseUrl: systemUrl(stack, system), token: stack.clientToken, rateCeiling: plan.rateCeilings.newKeys } as const;
  return measureNewPayments(stack, plan, target, connections, durationSeconds);
}

/**
 * (g) New payments of a client with a callback URL (its receiver answers 204): set beside (b) at
 * the same concurrency, what a callback costs a client.
 */
export async function measureCalledBackNewKeys(stack: BenchStack, plan: BenchPlan, connections: number): Promise<ScenarioResult> {
  const clients = callbackClientsOf(stack);
  const target = { scenario: 'orchestrator-new-keys-called-back', baseUrl: stack.apiUrl, token: clients.calledBackToken, rateCeiling: plan.rateCeilings.newKeys } as const;
  const before = await callbacksWorkflowWork(stack);
  const result = await measureNewPayments(stack, plan, target, connections, plan.stepSeconds);
  const after = await callbacksWorkflowWork(stack);
  const [handedOver, signals, tasks, events] = [
    after.events - before.events,
    after.signals - before.signals,
    after.workflowTasks - before.workflowTasks,
    after.historyEvents - before.historyEvents,
  ];
  const perEvent = (count: number) => (count / Math.max(1, handedOver)).toFixed(2);
  console.log(
    `  its callbacks workflow took ${handedOver} events in ${signals} signals (${perEvent(signals)} per event) and ${tasks} workflow tasks (${perEvent(tasks)}), ${events} history events (${perEvent(events)})`,
  );
  return result;
}

/**
 * What the called-back client's callbacks workflow has recorded so far, over all its runs (it
 * continues as new): the events handed over, the signals that carried them (one each, or several
 * in a `callbackEvents` signal: CALLBACK_HAND_OVERS_PER_SIGNAL), its workflow tasks and its history
 * events. Counted before and after (g), the difference is (g)'s share of the server's work for callbacks.
 */
async function callbacksWorkflowWork(stack: BenchStack): Promise<{ events: number; signals: number; workflowTasks: number; historyEvents: number }> {
  const work = { events: 0, signals: 0, workflowTasks: 0, historyEvents: 0 };
  for await (const execution of stack.temporal.workflow.list({ query: `WorkflowId = "${clientCallbacksWorkflowId(callbackTaskQueue(BENCH_TASK_QUEUE), CALLED_BACK_CLIENT)}"` })) {
    const { events } = await stack.temporal.workflow.getHandle(execution.workflowId, execution.runId).fetchHistory();
    for (const event of events ?? []) {
      work.historyEvents += 1;
      if (event.workflowExecutionSignaledEventAttributes != null) {
        work.signals += 1;
        work.events += eventsSignalled(event.workflowExecutionSignaledEventAttributes);
      }
      if (event.workflowTaskCompletedEventAttributes != null) work.workflowTasks += 1;
    }
  }
  return work;
}

/** How many events a hand-over signal carried (the bench's stack encrypts no payloads, so they read as they are). */
function eventsSignalled(signal: temporal.api.history.v1.IWorkflowExecutionSignaledEventAttributes): number {
  if (signal.signalName !== callbackEventsSignal.name) return 1;
  return defaultPayloadConverter.fromPayload<QueuedCallbacks>(signal.input!.payloads![0]!).callbacks.length;
}

/** How many of the never-answering client's payments (h) starts first: each one's callback hangs. */
export const HUNG_CALLBACK_PAYMENTS = 64;
/** How long (h) waits for the silent receiver to hold its first POSTs before measuring anyway. */
const HUNG_POSTS_WAIT_MS = 30_000;

/**
 * (h) New payments of the ordinary client while another client's receiver accepts every callback
 * and never answers: set beside (b), what that client's callbacks cost everyone else. Its payments
 * are made first, and the step starts once the receiver holds some of their POSTs open.
 */
export async function measureBesideHungCallbacks(stack: BenchStack, plan: BenchPlan, connections: number): Promise<ScenarioResult> {
  const clients = callbackClientsOf(stack);
  await completePayments(stack, await createOrders(stack, HUNG_CALLBACK_PAYMENTS), stack.apiUrl, clients.hungToken);
  const deadline = Date.now() + HUNG_POSTS_WAIT_MS;
  while (clients.hungPostsOpen() === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
  const target = { scenario: 'orchestrator-new-keys-beside-hung-callbacks', baseUrl: stack.apiUrl, token: stack.clientToken, rateCeiling: plan.rateCeilings.newKeys } as const;
  const result = await measureNewPayments(stack, plan, target, connections, plan.stepSeconds);
  console.log(`  the silent receiver held ${clients.hungPostsOpen()} callback POSTs open at the end of the step`);
  await stopCallbacks(stack);
  return result;
}

/**
 * Ends the clients' callbacks workflows (their hanging retries would go on for days) and waits, at
 * most HUNG_POSTS_WAIT_MS, for the silent receiver's POSTs to close (each at its attempt timeout),
 * so the steps after (h) are measured without them. A later event starts its client's workflow again.
 */
async function stopCallbacks(stack: BenchStack): Promise<void> {
  for await (const execution of stack.temporal.workflow.list({ query: 'WorkflowType = "clientCallbacksWorkflow" AND ExecutionStatus = "Running"' })) {
    await stack.temporal.workflow.getHandle(execution.workflowId, execution.runId).terminate('bench: the step beside hanging callbacks is over');
  }
  const clients = callbackClientsOf(stack);
  const deadline = Date.now() + HUNG_POSTS_WAIT_MS;
  while (clients.hungPostsOpen() > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
}

function callbackClientsOf(stack: BenchStack): CallbackClients {
  if (stack.callbackClients === null) throw new Error('the callback clients were not set up: the plan has no callbacks scenario');
  return stack.callbackClients;
}

/** Where new payments go in (a), (b), (e), (g) and (h): the same requests, with the target's own token. */
interface NewPaymentTarget {
  scenario: 'simulator-direct' | `${PaymentSystem}-new-keys` | 'orchestrator-new-keys-called-back' | 'orchestrator-new-keys-beside-hung-callbacks';
  baseUrl: string;
  token: string;
  rateCeiling: number;
}

async function measureNewPayments(stack: BenchStack, plan: BenchPlan, target: NewPaymentTarget, connections: number, durationSeconds: number): Promise<ScenarioResult> {
  const orders = await createOrders(stack, stepCapacity(durationSeconds, target.rateCeiling, connections));
  // Runs still finishing from the previous step would otherwise share this step's cores.
  await waitForRunsToDrain(stack, DRAIN_TIMEOUT_MS);
  const cpu = watchCpu(stack);
  const observation = await runLoadStep({
    baseUrl: target.baseUrl,
    connections,
    durationSeconds,
    source: newPaymentSource(target.token, orders),
    timeoutSeconds: plan.requestTimeoutSeconds,
  });
  return summarizeScenario(target.scenario, connections, [observation], cpu.coresBusy());
}

/**
 * (c) Replays, or (f) the floor's: requests whose key and order belong to a run that already
 * finished, answered from that run with `Idempotent-Replayed: true`. Returns one result per
 * concurrency.
 */
export async function measureReplays(stack: BenchStack, plan: BenchPlan, system: PaymentSystem): Promise<ScenarioResult[]> {
  const baseUrl = systemUrl(stack, system);
  const finished = await completePayments(stack, await createOrders(stack, plan.finishedPayments), baseUrl);
  const results: ScenarioResult[] = [];
  for (const connections of plan.concurrencies) {
    await waitForRunsToDrain(stack, DRAIN_TIMEOUT_MS);
    const cpu = watchCpu(stack);
    const observation = await runLoadStep({
      baseUrl,
      connections,
      durationSeconds: plan.stepSeconds,
      source: replaySource(stack.clientToken, finished, stepCapacity(plan.stepSeconds, plan.rateCeilings.replays, connections)),
      timeoutSeconds: plan.requestTimeoutSeconds,
    });
    results.push(summarizeScenario(`${system}-replays`, connections, [observation], cpu.coresBusy()));
  }
  return results;
}

/**
 * (d) Storms: `size` identical requests (one new key, one new order) sent at once on `size`
 * connections, one storm after another. One request starts the run; the others attach to it.
 * The simulator's journal then says how often each order was really processed.
 */
export async function measureStorms(stack: BenchStack, plan: BenchPlan, size: number): Promise<ScenarioResult> {
  const orders = await createOrders(stack, plan.stormsPerSize);
  await waitForRunsToDrain(stack, DRAIN_TIMEOUT_MS);
  const observations: StepObservation[] = [];
  const cpu = watchCpu(stack);
  for (const orderId of orders) {
    observations.push(
      await runLoadStep({
        baseUrl: stack.apiUrl,
        connections: size,
        durationSeconds: null,
        source: duplicateSource(stack.clientToken, { orderId, idempotencyKey: randomUUID() }, size),
        timeoutSeconds: plan.requestTimeoutSeconds,
      }),
    );
  }
  const coresBusy = cpu.coresBusy();
  let upstreamEffects = 0;
  for (const orderId of orders) upstreamEffects += await processingEffects(stack, orderId);
  // A storm always sends its whole count: that is its definition, not an early stop.
  return { ...summarizeScenario('duplicate-storms', size, observations, coresBusy), stoppedEarly: false, storms: { count: orders.length, upstreamEffects } };
}
