export * from './upstream-routes';
export * from './retryable-answers';
export * from './reconciliation';
export * from './awaiting-final-state';
export * from './final-status';
export * from './order-id';
export * from './orders-errors';
export * from './wallet-connect-errors';
