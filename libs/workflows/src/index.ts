export { paymentWriteWorkflow } from './payment-write.workflow';
export { orderOwnershipWorkflow } from './order-ownership.workflow';
export { orderFollowUpWorkflow } from './order-follow-up.workflow';
