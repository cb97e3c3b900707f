import type { LoggerService } from '@nestjs/common';
import { currentLogFields } from './log-fields';
import { redactFieldsInto, redactText } from './redaction';

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

const SEVERITY: Readonly<Record<LogLevel, number>> = { debug: 10, info: 20, warn: 30, error: 40 };

/**
 * Writes one JSON object per line: time, level, service, context, message, the current request's
 * log fields, then any fields the caller passed; all of it redacted. It is Nest's logger (so the
 * framework's own lines are JSON too) and the sink of the worker's Temporal logger.
 */
export class JsonLogger implements LoggerService {
  constructor(
    private readonly service: string,
    private readonly minimumLevel: LogLevel,
    private readonly output: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
  ) {}

  write(level: LogLevel, message: string, context?: string, fields: Readonly<Record<string, unknown>> = {}): void {
    if (SEVERITY[level] < SEVERITY[this.minimumLevel]) return;
    const entry: Record<string, unknown> = {
      time: new Date().toISOString(),
      level,
      service: this.service,
      ...(context === undefined ? {} : { context }),
      message: redactText(message),
    };
    // The request's fields, then the caller's: a caller's field replaces the request's of that name.
    redactFieldsInto(entry, currentLogFields());
    redactFieldsInto(entry, fields);
    this.output(JSON.stringify(entry));
  }

  log(message: unknown, ...params: unknown[]): void {
    this.fromNest('info', message, params);
  }

  error(message: unknown, ...params: unknown[]): void {
    this.fromNest('error', message, params);
  }

  warn(message: unknown, ...params: unknown[]): void {
    this.fromNest('warn', message, params);
  }

  debug(message: unknown, ...params: unknown[]): void {
    this.fromNest('debug', message, params);
  }

  verbose(message: unknown, ...params: unknown[]): void {
    this.fromNest('debug', message, params);
  }

  fatal(message: unknown, ...params: unknown[]): void {
    this.fromNest('error', message, params);
  }

  /**
   * Nest appends the logger's context as the last string argument, and `error` may carry a stack
   * before it. A message may also be an object: its `message` is the text, the rest are fields.
   */
  private fromNest(level: LogLevel, message: unknown, params: unknown[]): void {
    const rest = [...params];
    const context = rest.length > 0 && typeof rest[rest.length - 1] === 'string' ? (rest.pop() as string) : undefined;
    const fields: Record<string, unknown> = {};
    for (const param of rest) {
      if (typeof param === 'string') fields.stack = param;
      else if (typeof param === 'object' && param !== null) Object.assign(fields, param);
    }
    if (typeof message === 'object' && message !== null && !(message instanceof Error)) {
      const { message: text, ...messageFields } = message as Record<string, unknown>;
      this.write(level, typeof text === 'string' ? text : '', context, rest.length === 0 ? messageFields : { ...messageFields, ...fields });
      return;
    }
    if (message instanceof Error) fields.stack ??= message.stack;
    this.write(level, message instanceof Error ? message.message : String(message), context, fields);
  }
}
