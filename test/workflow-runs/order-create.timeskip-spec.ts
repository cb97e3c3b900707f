import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkflowBundle } from '@temporalio/worker';
import { attemptActivityKinds, ORDER_OWNER_MEMO_FIELD, orderOwnershipWorkflowId, searchAttributes, type PaymentWriteInput } from '@app/contracts';
import { onTimeSkippingServer, PRODUCTION_TIMING, runScript } from './payment-write-runner';
import { final, newOrderId, retryable, type ScriptStep } from './scripted-upstream';
import { localActivityTypeOf } from '../support/temporal-assertions';

// An order create on a time-skipping server of its own. The ownership record it starts is abandoned:
// it outlives the run and its worker, and when the server skips through its wait, its next workflow
// task waits for a worker that is gone, which stops all time skipping on that server for good (seen in
// CI when these tests shared payment-write.timeskip-spec.ts: every later budget test then waited its
// 10 minutes in real time and timed out). Here nothing after it needs more than a 0.5 s wait.
let env: TestWorkflowEnvironment;
let workflowBundle: WorkflowBundle;

onTimeSkippingServer((server, bundle) => {
  env = server;
  workflowBundle = bundle;
});

const create = (ownership?: PaymentWriteInput['ownership']): Partial<PaymentWriteInput> => ({
  operation: 'order.create',
  orderId: null,
  request: { method: 'POST', path: '/v1/orders', idempotencyKey: 'upstream-key-1', body: { type: 'online' } },
  ...(ownership === undefined ? {} : { ownership }),
});

// Named as in recorded histories (test/workflow-runs/histories): "<kind>--an-order-create-<test>".
describe.each(attemptActivityKinds)('paymentWriteWorkflow on the time-skipping server, with scripted %s activities', (attemptActivity) => {
  const run = (script: readonly ScriptStep[], ownership?: PaymentWriteInput['ownership']) =>
    runScript(env, workflowBundle, attemptActivity, PRODUCTION_TIMING, script, undefined, create(ownership));
  describe('an order create', () => {
    it("records the order's owner before the order id leaves the run in any way (a merchant with several clients)", async () => {
      const orderId = newOrderId();
      const created = { id: orderId, status: 'created' };

      const { result, history } = await run([retryable(503), final(201, created)], { keepForMs: 86_400_000 });
      const record = await env.client.workflow.getHandle(orderOwnershipWorkflowId(orderId)).describe();

      expect(result).toEqual({ status: 201, body: created, ownerRecorded: true });
      // In the run's history the record started (its local activity resolved) before the order id
      // reached its search attributes (the status resource reads it there), and before the run
      // completed with the answer; all in the task that received the answer, with no child to wait for.
      const events = history.events ?? [];
      const recordStarted = events.findIndex((event) => localActivityTypeOf(event) === 'recordOrderOwner');
      const orderIdShown = events.findIndex((event) => JSON.stringify(event.upsertWorkflowSearchAttributesEventAttributes ?? {}).includes(searchAttributes.orderId.name));
      const completed = events.findIndex((event) => event.workflowExecutionCompletedEventAttributes);
      expect(recordStarted).toBeGreaterThan(0);
      expect(recordStarted).toBeLessThan(orderIdShown);
      expect(orderIdShown).toBeLessThan(completed);
      expect(events.some((event) => event.startChildWorkflowExecutionInitiatedEventAttributes)).toBe(false);
      const lastTaskCompleted = events.map((event) => Boolean(event.workflowTaskCompletedEventAttributes)).lastIndexOf(true);
      expect(lastTaskCompleted).toBeLessThan(recordStarted);
      // The record outlives the run (the server may already have skipped through its wait), naming
      // its client, found by order and client like records the API started.
      expect(record.memo).toEqual({ [ORDER_OWNER_MEMO_FIELD]: 'checkout' });
      expect(record.typedSearchAttributes.get(searchAttributes.orderId)).toBe(orderId);
      expect(record.typedSearchAttributes.get(searchAttributes.clientId)).toBe('checkout');
    });

    it('records no owner when its input asks for none (a merchant with a single client, and runs from before)', async () => {
      const orderId = newOrderId();

      const { result, history } = await run([final(201, { id: orderId, status: 'created' })]);

      expect(result).toEqual({ status: 201, body: { id: orderId, status: 'created' } });
      expect((history.events ?? []).some((event) => event.startChildWorkflowExecutionInitiatedEventAttributes || localActivityTypeOf(event) === 'recordOrderOwner')).toBe(false);
    });
  });
});
