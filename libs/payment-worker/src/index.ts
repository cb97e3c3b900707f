export * from './callback-config';
export * from './create-payment-worker';
export * from './payment-activities.service';
export * from './payment-worker-config';
export * from './run-workers-together';
export * from './temporal-runtime';
export * from './upstream-http-client';
export * from './worker-metrics';
