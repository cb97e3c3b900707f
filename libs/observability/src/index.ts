export * from './json-logger';
export * from './log-fields';
export * from './observability-variables';
export * from './redaction';
export * from './request-id';
export * from './tracing';
