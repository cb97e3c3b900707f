import { allHandlersFinished, condition, defineUpdate, setHandler } from '@temporalio/workflow';
import type { PaymentWriteInput, PaymentWriteResult } from '../../../libs/contracts/src/payment-write';
import { paymentWriteWorkflow } from '../../../libs/workflows/src/payment-write.workflow';

/** Answers with the run's result once it has one: what update-with-start would wait on. */
export const awaitResultUpdate = defineUpdate<PaymentWriteResult>('awaitResult');

/** The product's workflow, for the variants that start it as the API does. */
export { paymentWriteWorkflow };

/**
 * The payment workflow with an update that returns its result, so that one update-with-start call
 * both starts the run and waits for its answer. Measured by client-paths.ts; not in the product.
 */
export async function paymentWriteWithResultUpdate(input: PaymentWriteInput): Promise<PaymentWriteResult> {
  let result: PaymentWriteResult | null = null;
  setHandler(awaitResultUpdate, async () => {
    await condition(() => result !== null);
    return result as PaymentWriteResult;
  });
  result = await paymentWriteWorkflow(input);
  await condition(allHandlersFinished);
  return result;
}
