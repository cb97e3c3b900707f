import { Controller, Get, HttpCode, Inject, Logger, Param, Post, Req, UseGuards, UseInterceptors } from '@nestjs/common';
import { WorkflowNotFoundError } from '@temporalio/client';
import { NO_UPSTREAM_PAUSE, setUpstreamPauseSignal, UPSTREAM_PAUSE_MEMO_FIELD, UPSTREAM_PAUSE_WORKFLOW, upstreamPauseWorkflowId, type UpstreamPause } from '@app/contracts';
import type { Merchant } from '../api-config';
import { MERCHANTS_SECTION, TEMPORAL_SECTION, type MerchantsSection, type TemporalSection } from '../api-config-sections';
import { ApiProblemException } from '../http/problems/api-problem';
import { TemporalAccess } from '../temporal/temporal-access';
import { CodecBodyInterceptor } from './codec/codec-body.interceptor';
import { OperatorAuthGuard, type OperatorRequest } from './codec/operator-auth.guard';

export const UPSTREAM_PAUSE_PATH = '/upstream-pause';
/** Long enough for an incident's ticket and a sentence, short enough for a log line. */
const REASON_MAX_LENGTH = 500;

/**
 * Pausing a merchant's new upstream attempts during a known incident, and resuming them
 * (docs/operations.md, "Pausing a merchant's upstream attempts"). The state lives in the
 * merchant's namespace, in the memo of its control workflow (`upstream-pause-<task queue>`), where every worker
 * reads it about every second and the Web UI shows it; each change is an audit line naming the
 * operator, the time and the reason.
 */
@Controller(`${UPSTREAM_PAUSE_PATH.slice(1)}/:merchant`)
@UseGuards(OperatorAuthGuard)
export class UpstreamPauseController {
  private readonly logger = new Logger('UpstreamPause');

  constructor(
    @Inject(MERCHANTS_SECTION) private readonly merchants: MerchantsSection,
    @Inject(TEMPORAL_SECTION) private readonly temporalSettings: TemporalSection,
    private readonly temporal: TemporalAccess,
  ) {}

  @Get()
  async read(@Param('merchant') name: string): Promise<UpstreamPause> {
    const client = this.temporal.client(this.merchant(name));
    try {
      const description = await this.temporal.withRpcDeadline(client, () => client.workflow.getHandle(upstreamPauseWorkflowId(this.temporalSettings.taskQueue)).describe());
      const memo = description.memo?.[UPSTREAM_PAUSE_MEMO_FIELD] as UpstreamPause | undefined;
      return description.status.name === 'RUNNING' && memo !== undefined ? memo : NO_UPSTREAM_PAUSE;
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return NO_UPSTREAM_PAUSE;
      throw error;
    }
  }

  /** `{"paused": true|false, "reason": "…"}`: sets the merchant's pause, answering the state set. */
  @Post()
  @HttpCode(200)
  @UseInterceptors(CodecBodyInterceptor)
  async set(@Param('merchant') name: string, @Req() request: OperatorRequest): Promise<UpstreamPause> {
    const merchant = this.merchant(name);
    const { paused, reason } = pauseRequest(request.body);
    const state: UpstreamPause = { paused, operator: request.operator, reason, since: new Date().toISOString() };
    const client = this.temporal.client(merchant);
    await this.temporal.withRpcDeadline(client, () =>
      client.workflow.signalWithStart(UPSTREAM_PAUSE_WORKFLOW, {
        workflowId: upstreamPauseWorkflowId(this.temporalSettings.taskQueue),
        taskQueue: this.temporalSettings.taskQueue,
        args: [NO_UPSTREAM_PAUSE],
        signal: setUpstreamPauseSignal,
        signalArgs: [state],
      }),
    );
    // The audit line: who, when, why. Workers log the change again when they pick it up.
    this.logger.log(`${state.operator ?? ''} ${paused ? 'paused' : 'resumed'} the upstream attempts of merchant "${merchant.name}" at ${state.since ?? ''}: ${reason}`);
    return state;
  }

  private merchant(name: string): Merchant {
    const merchant = this.merchants.find((candidate) => candidate.name === name);
    if (merchant === undefined)
      throw new ApiProblemException('not_found', `No merchant "${name}" here: this API serves ${this.merchants.map((served) => `"${served.name}"`).join(', ')}.`);
    return merchant;
  }
}

function pauseRequest(body: unknown): { paused: boolean; reason: string } {
  const { paused, reason } = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  if (typeof paused !== 'boolean' || typeof reason !== 'string' || reason.trim() === '' || reason.length > REASON_MAX_LENGTH) {
    throw new ApiProblemException('invalid_body', `The body must be {"paused": true or false, "reason": "<why, 1 to ${REASON_MAX_LENGTH} characters>"}.`);
  }
  return { paused, reason: reason.trim() };
}
