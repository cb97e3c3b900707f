export { paymentWriteWorkflow } from './payment-write.workflow';
