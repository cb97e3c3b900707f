export * from './load-config';
export * from './variables';
export * from './run-or-explain';
export * from './env-file';
export * from './free-port';
export * from './merchants';
