import { Logger } from '@nestjs/common';
import { JsonLogger } from './json-logger';
import { addLogFields, withLogFields } from './log-fields';
import { REDACTED } from './redaction';

describe('JsonLogger', () => {
  const lines: string[] = [];
  const logger = new JsonLogger('api', 'info', (line) => lines.push(line));
  const last = () => JSON.parse(lines.at(-1)!) as Record<string, unknown>;
  beforeEach(() => (lines.length = 0));

  it('writes one JSON object per line with time, level, service, context and message', () => {
    logger.log('listening', 'Api');

    expect(lines).toHaveLength(1);
    expect(last()).toEqual({ time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) as string, level: 'info', service: 'api', context: 'Api', message: 'listening' });
  });

  it("adds the current request's fields, including those learnt after the scope began", () => {
    withLogFields({ requestId: 'r-1' }, () => {
      addLogFields({ idempotencyKey: 'k-1', runId: 'run-1' });
      logger.warn('slow');
    });

    expect(last()).toMatchObject({ level: 'warn', requestId: 'r-1', idempotencyKey: 'k-1', runId: 'run-1' });
    logger.log('outside');
    expect(last()).not.toHaveProperty('requestId');
  });

  it('takes structured messages and redacts their fields and text', () => {
    logger.log({ message: 'upstream said Bearer APP_USR-1', status: 402, payer: { email: 'a@testuser.com' } }, 'Upstream');

    expect(last()).toMatchObject({ context: 'Upstream', message: `upstream said Bearer ${REDACTED}`, status: 402, payer: REDACTED });
  });

  it("keeps an error's stack, and drops lines below the configured level", () => {
    logger.error('boom', 'Error: boom\n    at x', 'Filter');
    expect(last()).toMatchObject({ level: 'error', context: 'Filter', message: 'boom', stack: 'Error: boom\n    at x' });

    logger.debug('noise');
    logger.verbose('noise');
    expect(lines).toHaveLength(1);
  });

  it("serves as Nest's logger, so the framework's lines are JSON too", () => {
    Logger.overrideLogger(logger);
    new Logger('RoutesResolver').log('OrdersController {/v1/orders}:');
    Logger.overrideLogger(false);

    expect(last()).toMatchObject({ context: 'RoutesResolver', message: 'OrdersController {/v1/orders}:' });
  });
});
