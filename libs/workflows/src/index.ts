export { paymentWriteWorkflow } from './payment-write.workflow';
export { orderOwnershipWorkflow } from './order-ownership.workflow';
export { orderFollowUpWorkflow, advancedPaymentFollowUpWorkflow } from './follow-up.workflow';
export { paymentRunCallbackWorkflow } from './client-callback';
export { upstreamPauseWorkflow } from './upstream-pause.workflow';
export { clientCallbacksWorkflow } from './client-callbacks.workflow';
