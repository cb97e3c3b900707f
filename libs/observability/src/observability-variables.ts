import { z } from 'zod';
import { env } from '@app/config';
import { LOG_LEVELS } from './json-logger';

/** Logging and tracing settings, read the same way by every app. */
export const observabilityVariables = {
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  /**
   * OTLP/HTTP base URL of a trace collector (the standard OpenTelemetry name); spans go to
   * `<url>/v1/traces`. Unset, no span leaves the process.
   */
  OTEL_EXPORTER_OTLP_ENDPOINT: env.url().optional(),
} as const;
