export * from './load-config';
export * from './variables';
export * from './temporal-connection';
export * from './run-or-explain';
export * from './env-file';
export * from './free-port';
export * from './merchants';
export { holdsOnlyPublishedSecrets } from './published-secrets';
