import { randomUUID } from 'node:crypto';
import type { BenchStack } from './bench-stack';
import { mapWithConcurrency } from '../../libs/payment-worker/src/map-with-concurrency';
import { processRequest, type PaymentIdentity } from './payment-requests';

/**
 * Processes one order through the API (or the floor's front, at `baseUrl`) with a fresh key, asking
 * again while the run is still going (423), as a client should; resolves once the payment has an
 * outcome of 200.
 */
export async function completePayment(stack: BenchStack, orderId: string, timeoutMs: number, baseUrl = stack.apiUrl, token = stack.clientToken): Promise<PaymentIdentity> {
  const payment = { orderId, idempotencyKey: randomUUID() };
  const request = processRequest(token, payment);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await fetch(`${baseUrl}${request.path}`, { method: 'POST', headers: request.headers, signal: AbortSignal.timeout(timeoutMs) });
    const body = await response.text();
    if (response.status === 200) return payment;
    if (response.status !== 423 || Date.now() > deadline) {
      throw new Error(`processing ${orderId} through ${baseUrl} answered ${response.status}: ${body}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** Payments whose runs have finished, for the replay scenarios. */
export function completePayments(stack: BenchStack, orderIds: readonly string[], baseUrl = stack.apiUrl, token = stack.clientToken): Promise<PaymentIdentity[]> {
  return mapWithConcurrency(orderIds, 8, (orderId) => completePayment(stack, orderId, 60_000, baseUrl, token));
}

/**
 * Waits until Temporal has no running payment, so runs abandoned by the previous step (autocannon
 * drops in-flight requests when its time is up) do not load the next one. Bounded: a step that
 * starts anyway is still measured, and the wait is reported.
 */
export async function waitForRunsToDrain(stack: BenchStack, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    // A client's callbacks workflow lives as long as the client (docs/architecture.md, "Callbacks apart from payments"): only payment work counts here.
    const { count } = await stack.temporal.workflow.count('ExecutionStatus = "Running" AND WorkflowType != "clientCallbacksWorkflow"');
    if (count === 0) return;
    if (Date.now() > deadline) {
      console.warn(`  ${count} runs still running after ${timeoutMs} ms; measuring the next step anyway`);
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
