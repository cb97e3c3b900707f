import { defineQuery } from '@temporalio/workflow';
import type { PaymentRunState } from './payment-write';

/** Returns a run's live state: attempts so far, last upstream status, next retry time. */
export const runStateQuery = defineQuery<PaymentRunState>('runState');

/** Workflow type name, shared by the API that starts runs and the worker that executes them. */
export const PAYMENT_WRITE_WORKFLOW = 'paymentWriteWorkflow';
