import type { Logger, LogLevel as TemporalLogLevel, LogMetadata } from '@temporalio/common';
import type { JsonLogger, LogLevel } from '@app/observability';

const LEVELS: Readonly<Record<TemporalLogLevel, LogLevel>> = { TRACE: 'debug', DEBUG: 'debug', INFO: 'info', WARN: 'warn', ERROR: 'error' };

/**
 * The Temporal runtime's logger, writing through the app's JSON logger. Activity and workflow
 * loggers reach it with their context (workflowId, runId, activityType, attempt …) as metadata.
 */
export class TemporalJsonLogger implements Logger {
  constructor(private readonly logger: JsonLogger) {}

  log(level: TemporalLogLevel, message: string, meta: LogMetadata = {}): void {
    const { sdkComponent, workflowRunId, ...fields } = meta as Record<string, unknown>;
    // `runId`, as the API's lines name it, so one search finds a run's lines in both processes.
    if (workflowRunId !== undefined) fields.runId = workflowRunId;
    this.logger.write(LEVELS[level], message, typeof sdkComponent === 'string' ? `temporal:${sdkComponent}` : 'temporal', fields);
  }

  trace(message: string, meta?: LogMetadata): void {
    this.log('TRACE', message, meta);
  }

  debug(message: string, meta?: LogMetadata): void {
    this.log('DEBUG', message, meta);
  }

  info(message: string, meta?: LogMetadata): void {
    this.log('INFO', message, meta);
  }

  warn(message: string, meta?: LogMetadata): void {
    this.log('WARN', message, meta);
  }

  error(message: string, meta?: LogMetadata): void {
    this.log('ERROR', message, meta);
  }
}
