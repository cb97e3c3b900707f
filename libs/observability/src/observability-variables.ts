import { z } from 'zod';
import { env } from '@app/config';
import { LOG_LEVELS, type LogLevel } from './json-logger';

/** Logging and tracing settings, read the same way by every app. */
export const observabilityVariables = {
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  /**
   * OTLP/HTTP base URL of a trace collector (the standard OpenTelemetry name); spans go to
   * `<url>/v1/traces`. Unset, no span leaves the process.
   */
  OTEL_EXPORTER_OTLP_ENDPOINT: env.url().optional(),
} as const;

/** Nest token of the ObservabilitySection, in every app's config sections. */
export const OBSERVABILITY_SECTION = Symbol('OBSERVABILITY_SECTION');

/** How an app logs and traces: its entry point reads it before Nest starts (the logger, the tracer provider). */
export interface ObservabilitySection {
  logLevel: LogLevel;
  /** OTEL_EXPORTER_OTLP_ENDPOINT; undefined: no span leaves the process. */
  otlpEndpoint: string | undefined;
}

export function observabilitySection(config: { LOG_LEVEL: LogLevel; OTEL_EXPORTER_OTLP_ENDPOINT?: string | undefined }): ObservabilitySection {
  return { logLevel: config.LOG_LEVEL, otlpEndpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT };
}
